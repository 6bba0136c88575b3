package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.PreflightException;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The solver's routes on the API server: made in its mode, removed by their own mode, removed from
 * a cleanup handle only within the solver's {@link CleanupScope}, and found by label and path when
 * no handle names them ({@link LeftoverSweep}). Thread-safe.
 */
public final class Routes {
    /** The solver's category, so that one logger setting covers every solver message. */
    private static final Logger LOG = LoggerFactory.getLogger(IngressHttp01Solver.class);

    private final String namespace;
    private final RouteMode mode;
    private final String modeValue;
    private final ExistingIngressRoutes existing;
    private final TemporaryIngresses temporary;
    private final CleanupScope scope;
    private final LeftoverSweep leftovers;
    private final IngressPermissions permissions;

    /**
     * @param client the Kubernetes client
     * @param namespace the solver's namespace
     * @param mode how routes are made
     * @param modeValue the existing Ingress's name, or the class (name) of temporary ones
     * @param labels the template's labels for temporary Ingresses
     * @param annotations the template's annotations for temporary Ingresses
     * @param serviceName the Service the challenge routes to
     * @param servicePort its port
     * @param clock the time written on each route
     * @param leftoverAge how old an unjournalled route must be to count as left over
     */
    public Routes(KubernetesClient client, String namespace, RouteMode mode, String modeValue, Map<String, String> labels,
            Map<String, String> annotations, String serviceName, int servicePort, Clock clock, Duration leftoverAge) {
        this.namespace = namespace;
        this.mode = mode;
        this.modeValue = modeValue;
        String existingIngress = mode == RouteMode.NAME ? modeValue : null;
        this.existing = new ExistingIngressRoutes(client, serviceName, servicePort, clock);
        this.temporary = new TemporaryIngresses(client, namespace, mode, modeValue, labels, annotations, serviceName,
                servicePort, clock);
        this.scope = new CleanupScope(namespace, existingIngress);
        this.permissions = new IngressPermissions(client, clock);
        this.leftovers = new LeftoverSweep(temporary, existing, namespace, existingIngress, clock, leftoverAge);
    }

    /**
     * Before an order: that the solver may do what it does on Ingresses in its namespace ({@link IngressPermissions});
     * in the existing-Ingress mode, that the Ingress exists.
     *
     * @throws PreflightException when a verb is denied, or the existing Ingress is missing or cannot be read
     */
    public void preflight() throws PreflightException {
        permissions.require(namespace);
        if (mode == RouteMode.NAME) {
            existing.requireExists(namespace, modeValue);
        }
    }

    /**
     * @param host the challenged host
     * @param token the challenge token
     * @return the route this solver makes for them
     */
    public Route routeFor(String host, String token) {
        return new Route(mode, namespace, mode == RouteMode.NAME ? modeValue : TemporaryIngresses.name(host, token), host, token);
    }

    /**
     * @param route a route of {@link #routeFor}
     * @param keyAuthorization the answer, written to an annotation
     * @throws SolverException when the API server refuses
     */
    public void add(Route route, String keyAuthorization) throws SolverException {
        if (route.mode() == RouteMode.NAME) {
            existing.add(route, keyAuthorization);
        } else {
            temporary.create(route, keyAuthorization);
        }
    }

    /**
     * By the route's own mode: a handle from another process may name a route of another mode.
     *
     * @param route the route to remove
     * @throws SolverException when the API server refuses
     */
    public void remove(Route route) throws SolverException {
        if (route.mode() == RouteMode.NAME) {
            existing.remove(route);
        } else {
            temporary.delete(route);
        }
    }

    /** @param route the route of a failed presentation, removed as far as it was made; a failure is logged */
    public void removeQuietly(Route route) {
        try {
            remove(route);
        } catch (SolverException | RuntimeException e) {
            LOG.warn("Could not remove the route of a failed presentation from Ingress {}/{}: {}", route.namespace(),
                    route.ingress(), IngressObjects.describe(e));
        }
    }

    /**
     * Removes what a journalled handle names if it is within the solver's scope, and the leftovers
     * no handle names; a handle outside the scope is logged and dropped.
     *
     * @param handle a cleanup handle from the journal
     * @param solverId the solver's id, for the log
     * @throws SolverException when the API server refuses
     */
    public void cleanUp(String handle, String solverId) throws SolverException {
        Route route;
        try {
            route = Route.parse(handle);
        } catch (SolverException e) {
            LOG.warn("Dropping a cleanup handle of solver {} that is not one of the Ingress HTTP-01 solver: {}", solverId, handle);
            return;
        }
        Optional<String> violation = scope.violation(route);
        if (violation.isPresent()) {
            LOG.warn("Dropping the cleanup handle {} of solver {}: {}", handle, solverId, violation.get());
            return;
        }
        remove(route);
        leftovers.sweepIfDue();
    }

    /** Removes the leftovers no handle names, on first use and at most once a minute after. */
    public void sweepLeftoversIfDue() {
        leftovers.sweepIfDue();
    }

    /**
     * @return how many of the solver's temporary Ingresses and rules were removed, live or not
     * @throws SolverException when the API server refuses
     */
    public int sweepAll() throws SolverException {
        return leftovers.sweep(Instant.MAX);
    }
}
