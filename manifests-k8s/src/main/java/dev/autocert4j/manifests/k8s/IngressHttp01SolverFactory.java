package dev.autocert4j.manifests.k8s;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.manifests.Http01IngressConfig;
import dev.autocert4j.manifests.Http01SolverFactory;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Consumer;

/**
 * HTTP-01 through Kubernetes Ingresses, as cert-manager: {@code ingress.name} adds the challenge
 * path to that existing Ingress, {@code ingress.class} and {@code ingress.ingressClassName} make a
 * temporary Ingress of that class with the {@code ingressTemplate} labels and annotations; either
 * way the path leads to the application's own Service, whose pods answer with the solver's
 * {@link IngressHttp01Solver#handler() handler} (or a shared responder set in {@code more}).
 * {@code serviceType} has no effect: no solver Service is made. Immutable and thread-safe.
 *
 * <pre>{@code
 * ManifestOptions.builder().http01Solvers(IngressHttp01SolverFactory.of(client, "shop", "shop", 8080, b -> { }))
 * }</pre>
 */
public final class IngressHttp01SolverFactory implements Http01SolverFactory {
    private final KubernetesClient client;
    private final String namespace;
    private final String serviceName;
    private final int servicePort;
    private final Consumer<IngressHttp01Solver.Builder> more;

    private IngressHttp01SolverFactory(KubernetesClient client, String namespace, String serviceName, int servicePort,
            Consumer<IngressHttp01Solver.Builder> more) {
        this.client = client;
        this.namespace = namespace;
        this.serviceName = serviceName;
        this.servicePort = servicePort;
        this.more = more;
    }

    /**
     * @param client the Kubernetes client, owned by the caller
     * @param namespace the namespace of the application's Service, where Ingresses are made
     * @param serviceName the application's Service
     * @param servicePort its port
     * @param more further settings of each solver: a shared {@code responder}, self-check address or timeout
     * @return a factory making an {@link IngressHttp01Solver} per {@code http01.ingress} block
     * @throws IllegalArgumentException when the port is not within 1..65535 (found here, not when the first
     *     manifest is read)
     */
    public static IngressHttp01SolverFactory of(KubernetesClient client, String namespace, String serviceName, int servicePort,
            Consumer<IngressHttp01Solver.Builder> more) {
        if (servicePort < 1 || servicePort > 65535) {
            throw new IllegalArgumentException("servicePort must be within 1..65535, was " + servicePort);
        }
        return new IngressHttp01SolverFactory(requireNonNull(client, "client"), requireNonNull(namespace, "namespace"),
                requireNonNull(serviceName, "serviceName"), servicePort, requireNonNull(more, "more"));
    }

    /**
     * @param config the checked {@code http01.ingress} block
     * @return an {@link IngressHttp01Solver} for it
     * @throws IllegalArgumentException when the block names no Ingress and no class
     */
    @Override
    public Solver create(Http01IngressConfig config) {
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
    }

    @Override
    public String toString() {
        return "IngressHttp01SolverFactory[" + namespace + "/" + serviceName + ":" + servicePort + "]";
    }
}
