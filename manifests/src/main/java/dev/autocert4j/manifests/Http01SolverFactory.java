package dev.autocert4j.manifests;

import dev.autocert4j.Solver;

/**
 * Makes the HTTP-01 solver for a manifest's {@code http01.ingress} block. autocert4j answers
 * HTTP-01 challenges from the host application itself; how the CA's request reaches it (an Ingress
 * rule, a port, a mounted handler) is the application's choice, so it is supplied here. Without a
 * factory, a manifest with {@code http01} is refused rather than half-configured.
 *
 * <p>Implementations MUST return a solver for {@link dev.autocert4j.ChallengeType#HTTP_01} and
 * SHOULD honour the configuration; they are called once per solver entry while the manifests load.
 */
@FunctionalInterface
public interface Http01SolverFactory {
    /**
     * @param config the checked {@code http01.ingress} block and the issuer it belongs to
     * @return the solver to register with the entry's selector
     */
    Solver create(Http01IngressConfig config);
}
