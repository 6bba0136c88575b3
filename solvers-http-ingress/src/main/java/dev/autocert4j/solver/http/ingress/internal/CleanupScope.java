package dev.autocert4j.solver.http.ingress.internal;

import java.util.Optional;

/**
 * What a cleanup handle may name: the journal (a file, a Secret) is writable by others than this
 * solver, so a handle is only trusted when it names a route this solver could have made — its
 * namespace, its existing Ingress or a temporary Ingress of its own name scheme, a challenge token
 * and a host. The label of a temporary Ingress is checked when it is read, before it is deleted.
 * Thread-safe.
 */
public final class CleanupScope {
    private final String namespace;
    private final String existingIngress;

    /**
     * @param namespace the solver's namespace
     * @param existingIngress the existing Ingress the solver edits, or null when it makes temporary ones
     */
    public CleanupScope(String namespace, String existingIngress) {
        this.namespace = namespace;
        this.existingIngress = existingIngress;
    }

    /**
     * @param route the route a handle names
     * @return why it is outside this solver's scope, or empty when it may be removed
     */
    public Optional<String> violation(Route route) {
        if (!namespace.equals(route.namespace())) {
            return Optional.of("it names namespace " + route.namespace() + ", not the solver's namespace " + namespace);
        }
        if (!Route.isToken(route.token())) {
            return Optional.of("its token is not base64url");
        }
        if (!Route.isHost(route.host())) {
            return Optional.of("its host is not a DNS name");
        }
        if (route.mode() == RouteMode.NAME) {
            if (existingIngress == null) {
                return Optional.of("it names a rule in Ingress " + route.ingress() + ", but this solver edits no existing "
                        + "Ingress");
            }
            if (!existingIngress.equals(route.ingress())) {
                return Optional.of("it names Ingress " + route.ingress() + ", not the solver's existing Ingress "
                        + existingIngress);
            }
            return Optional.empty();
        }
        if (!TemporaryIngresses.name(route.host(), route.token()).equals(route.ingress())) {
            return Optional.of("its Ingress " + route.ingress() + " is not the temporary Ingress this solver names for its host "
                    + "and token");
        }
        return Optional.empty();
    }
}
