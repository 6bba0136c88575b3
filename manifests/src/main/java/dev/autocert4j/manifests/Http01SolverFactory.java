package dev.autocert4j.manifests;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Consumer;

/**
 * Makes the HTTP-01 solver for a manifest's {@code http01.ingress} block. autocert4j answers
 * HTTP-01 challenges from the host application itself; how the CA's request reaches it (an Ingress
 * rule, a port, a mounted handler) is the application's choice, so it is supplied here;
 * {@link #ingress} is the one that does what cert-manager does, through an {@link IngressHttp01Solver}.
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

    /**
     * HTTP-01 through Kubernetes Ingresses, as cert-manager: {@code ingress.name} adds the challenge
     * path to that existing Ingress, {@code ingress.class} and {@code ingress.ingressClassName} make a
     * temporary Ingress of that class with the {@code ingressTemplate} labels and annotations; either
     * way the path leads to the application's own Service, whose pods answer with the solver's
     * {@link IngressHttp01Solver#handler() handler} (or a shared responder set in {@code more}).
     * {@code serviceType} has no effect: no solver Service is made.
     *
     * @param client the Kubernetes client, owned by the caller
     * @param namespace the namespace of the application's Service, where Ingresses are made
     * @param serviceName the application's Service
     * @param servicePort its port
     * @param more further settings of each solver: a shared {@code responder}, self-check address or timeout
     * @return a factory making an {@link IngressHttp01Solver} per {@code http01.ingress} block
     */
    static Http01SolverFactory ingress(KubernetesClient client, String namespace, String serviceName, int servicePort,
            Consumer<IngressHttp01Solver.Builder> more) {
        requireNonNull(client, "client");
        requireNonNull(namespace, "namespace");
        requireNonNull(serviceName, "serviceName");
        requireNonNull(more, "more");
        return config -> {
            IngressHttp01Solver.Builder b = IngressHttp01Solver.builder(client).namespace(namespace).service(serviceName, servicePort);
            config.name().ifPresent(b::existingIngress);
            config.ingressClass().ifPresent(b::ingressClass);
            config.ingressClassName().ifPresent(b::ingressClassName);
            if (config.name().isEmpty() && config.ingressClass().isEmpty() && config.ingressClassName().isEmpty()) {
                throw new IllegalArgumentException("set one of name (an existing Ingress), class or ingressClassName: "
                        + "the Ingress without a class that cert-manager would make is not supported");
            }
            b.labels(config.templateLabels()).annotations(config.templateAnnotations());
            more.accept(b);
            return b.build();
        };
    }
}
