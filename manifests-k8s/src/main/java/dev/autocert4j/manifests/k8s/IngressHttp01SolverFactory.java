package dev.autocert4j.manifests.k8s;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.manifests.Http01IngressConfig;
import dev.autocert4j.manifests.Http01SolverFactory;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * HTTP-01 through Kubernetes Ingresses, as cert-manager: {@code ingress.name} adds the challenge
 * path to that existing Ingress, {@code ingress.class} and {@code ingress.ingressClassName} make a
 * temporary Ingress of that class with the {@code ingressTemplate} labels and annotations; either
 * way the path leads to the application's own Service, whose pods answer with the application's
 * {@link Builder#responder(Http01Solver) responder}: one {@link Http01Solver} (standalone, or mounted)
 * for every solver the manifests make, which also answers the tokens other replicas present.
 * {@code serviceType} has no effect: no solver Service is made. {@link #close()} stops the solvers it made.
 * Thread-safe.
 *
 * <pre>{@code
 * Http01Solver http01 = Http01Solver.builder().standalone("0.0.0.0", 8089).build();
 * ManifestOptions.builder().http01Solvers(IngressHttp01SolverFactory.builder(client)
 *         .namespace("shop").service("shop-acme", 80).responder(http01).build())
 * }</pre>
 */
public final class IngressHttp01SolverFactory implements Http01SolverFactory, AutoCloseable {
    private final Builder settings;
    private final List<IngressHttp01Solver> made = new CopyOnWriteArrayList<>();

    private IngressHttp01SolverFactory(Builder settings) {
        this.settings = settings;
    }

    /**
     * @param client the Kubernetes client, owned by the caller
     * @return a builder; set the namespace, the Service and the responder
     */
    public static Builder builder(KubernetesClient client) {
        return new Builder(client);
    }

    /**
     * @param config the checked {@code http01.ingress} block
     * @return an {@link IngressHttp01Solver} for it, answering through the factory's responder
     * @throws IllegalArgumentException when the block names no Ingress and no class
     */
    @Override
    public Solver create(Http01IngressConfig config) {
        if (config.name().isEmpty() && config.ingressClass().isEmpty() && config.ingressClassName().isEmpty()) {
            throw new IllegalArgumentException("set one of name (an existing Ingress), class or ingressClassName: "
                    + "the Ingress without a class that cert-manager would make is not supported");
        }
        IngressHttp01Solver.Builder b = IngressHttp01Solver.builder(settings.client).namespace(settings.namespace)
                .service(settings.serviceName, settings.servicePort).responder(settings.responder);
        config.name().ifPresent(b::existingIngress);
        config.ingressClass().ifPresent(b::ingressClass);
        config.ingressClassName().ifPresent(b::ingressClassName);
        b.labels(config.templateLabels()).annotations(config.templateAnnotations());
        if (settings.selfCheckAddress != null) {
            b.selfCheckAddress(settings.selfCheckAddress);
        }
        if (settings.selfCheckTimeout != null) {
            b.selfCheckTimeout(settings.selfCheckTimeout);
        }
        if (settings.fixedWait != null) {
            b.fixedWait(settings.fixedWait);
        }
        IngressHttp01Solver solver = b.build();
        made.add(solver);
        return solver;
    }

    /**
     * Closes every solver this factory made: their Ingress watches stop, and the responder no longer answers
     * other replicas' tokens. Call it when the application stops; the client and the responder stay open.
     */
    @Override
    public void close() {
        made.forEach(IngressHttp01Solver::close);
    }

    @Override
    public String toString() {
        return "IngressHttp01SolverFactory[" + settings.namespace + "/" + settings.serviceName + ":" + settings.servicePort + "]";
    }

    /**
     * Builds an {@link IngressHttp01SolverFactory} with the settings of {@link IngressHttp01Solver.Builder} that a
     * manifest cannot say. Each setter checks its argument at once (as the solver's builder does) and may be
     * called once. Not thread-safe.
     */
    public static final class Builder {
        private final KubernetesClient client;
        /** Checks each setting as the solvers' builder will, when it is set rather than at the first manifest. */
        private final IngressHttp01Solver.Builder check;
        private String namespace;
        private String serviceName;
        private int servicePort;
        private Http01Solver responder;
        private InetSocketAddress selfCheckAddress;
        private Duration selfCheckTimeout;
        private Duration fixedWait;

        private Builder(KubernetesClient client) {
            this.client = requireNonNull(client, "client");
            this.check = IngressHttp01Solver.builder(client);
        }

        /**
         * @param namespace the namespace of the application's Service, where Ingresses are made
         * @return this builder
         */
        public Builder namespace(String namespace) {
            check.namespace(namespace);
            this.namespace = namespace;
            return this;
        }

        /**
         * @param name the application's Service, whose pods serve the responder
         * @param port its port
         * @return this builder
         * @throws IllegalArgumentException when the port is not within 1..65535 or the name is not a Service name
         */
        public Builder service(String name, int port) {
            check.service(name, port);
            this.serviceName = name;
            this.servicePort = port;
            return this;
        }

        /**
         * @param responder the HTTP-01 responder the application serves (standalone, or mounted); every solver
         *     made answers through it, and it answers tokens presented by other replicas too
         * @return this builder
         */
        public Builder responder(Http01Solver responder) {
            check.responder(responder);
            this.responder = responder;
            return this;
        }

        /**
         * @param address where the self-check connects instead of the host's address (the ingress controller)
         * @return this builder
         */
        public Builder selfCheckAddress(InetSocketAddress address) {
            check.selfCheckAddress(address);
            this.selfCheckAddress = address;
            return this;
        }

        /**
         * @param timeout how long the self-check waits (2 minutes if unset)
         * @return this builder
         */
        public Builder selfCheckTimeout(Duration timeout) {
            check.selfCheckTimeout(timeout);
            this.selfCheckTimeout = timeout;
            return this;
        }

        /**
         * @param wait a fixed wait instead of the self-check, for clusters that cannot reach themselves
         * @return this builder
         */
        public Builder fixedWait(Duration wait) {
            check.fixedWait(wait);
            this.fixedWait = wait;
            return this;
        }

        /**
         * @return the factory
         * @throws IllegalStateException when the namespace, the Service or the responder is missing
         */
        public IngressHttp01SolverFactory build() {
            if (namespace == null || serviceName == null) {
                throw new IllegalStateException("IngressHttp01SolverFactory needs namespace(...) and service(name, port): "
                        + "the application's Service that the challenge path leads to");
            }
            if (responder == null) {
                throw new IllegalStateException("IngressHttp01SolverFactory needs responder(http01): the Http01Solver the "
                        + "application serves (standalone, or mounted into its HTTP server) on the Service's target port");
            }
            return new IngressHttp01SolverFactory(this);
        }
    }
}
