package dev.autocert4j.manifests;

import dev.autocert4j.solver.Solver;

/**
 * Makes the HTTP-01 solver for a manifest's {@code http01.ingress} block. autocert4j answers
 * HTTP-01 challenges from the host application itself; how the CA's request reaches it (an Ingress
 * rule, a port, a mounted handler) is the application's choice, so it is supplied here.
 * {@code IngressHttp01SolverFactory} of autocert4j-manifests-k8s is the one that does what
 * cert-manager does, through an Ingress; this module itself needs no Kubernetes client.
 * Without a factory, a manifest with {@code http01} is refused rather than half-configured.
 *
 * <p>Implementations MUST return a solver for {@link dev.autocert4j.solver.ChallengeType#HTTP_01} and
 * SHOULD honour the configuration; they are called once per solver entry while the manifests load,
 * on the loading thread. An {@link IllegalArgumentException} or {@link IllegalStateException} they
 * throw is reported as a {@link ManifestException} at the entry's {@code http01.ingress}.
 */
@FunctionalInterface
public interface Http01SolverFactory {
    /**
     * @param config the checked {@code http01.ingress} block and the issuer it belongs to
     * @return the solver to register with the entry's selector
     */
    Solver create(Http01IngressConfig config);
}
