package dev.autocert4j.manifests;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.ClusterResourceNamespace;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How {@link Manifests} turns manifests into objects: where secrets come from, the cluster resource
 * namespace, the HTTP-01 solver, and overrides for running the same manifests against a test CA and
 * a test DNS API. Immutable and thread-safe; build with {@link #builder()}.
 */
public final class ManifestOptions {
    private final SecretResolver secrets;
    private final String clusterResourceNamespace;
    private final URI acmeServerOverride;
    private final List<X509Certificate> trustedCertificates;
    private final URI cloudflareBaseUrl;
    private final Http01SolverFactory http01Solvers;
    private final Consumer<Dns01Solver.Builder> dns01Customizer;
    private final CertificateStore store;

    private ManifestOptions(Builder b) {
        this.secrets = b.secrets == null ? SecretResolver.environment() : b.secrets;
        this.clusterResourceNamespace = b.clusterResourceNamespace;
        this.store = b.store;
        this.acmeServerOverride = b.acmeServerOverride;
        this.trustedCertificates = b.trustedCertificates;
        this.cloudflareBaseUrl = b.cloudflareBaseUrl;
        this.http01Solvers = b.http01Solvers;
        this.dns01Customizer = b.dns01Customizer;
    }

    /** @return a builder with the defaults: secrets from environment variables, namespace {@code cert-manager} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults, as {@code builder().build()} */
    public static ManifestOptions defaults() {
        return builder().build();
    }

    /** @return where secret references are looked up */
    public SecretResolver secrets() {
        return secrets;
    }

    /** @return the namespace holding the Secrets of ClusterIssuers: the {@linkplain Builder#store store's} if it has one */
    public String clusterResourceNamespace() {
        return clusterResourceNamespace;
    }

    /** @return the store {@link Manifests#applyTo} gives the manager, if set */
    public Optional<CertificateStore> store() {
        return Optional.ofNullable(store);
    }

    /** @return the ACME directory used instead of every issuer's {@code spec.acme.server}, if set */
    public Optional<URI> acmeServerOverride() {
        return Optional.ofNullable(acmeServerOverride);
    }

    /** @return the trust anchors for the ACME server's TLS certificate, instead of {@code caBundle} or the JVM's */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /** @return the Cloudflare API base URL used instead of the real one, if set */
    public Optional<URI> cloudflareBaseUrl() {
        return Optional.ofNullable(cloudflareBaseUrl);
    }

    /** @return the factory making HTTP-01 solvers, if set */
    public Optional<Http01SolverFactory> http01Solvers() {
        return Optional.ofNullable(http01Solvers);
    }

    Consumer<Dns01Solver.Builder> dns01Customizer() {
        return dns01Customizer;
    }

    @Override
    public String toString() {
        return "ManifestOptions[secrets=" + secrets + ", clusterResourceNamespace=" + clusterResourceNamespace
                + (acmeServerOverride == null ? "" : ", acmeServerOverride=" + acmeServerOverride)
                + (cloudflareBaseUrl == null ? "" : ", cloudflareBaseUrl=" + cloudflareBaseUrl) + "]";
    }

    /** Builds {@link ManifestOptions}. Each setter checks its argument and may be called once. Not thread-safe. */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private SecretResolver secrets;
        private String clusterResourceNamespace = "cert-manager";
        private URI acmeServerOverride;
        private List<X509Certificate> trustedCertificates = List.of();
        private URI cloudflareBaseUrl;
        private Http01SolverFactory http01Solvers;
        private Consumer<Dns01Solver.Builder> dns01Customizer = b -> { };
        private CertificateStore store;

        private Builder() {
        }

        private void once(String field) {
            if (!set.add(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
        }

        /**
         * @param resolver where secret references are looked up; environment variables if unset
         *     (see {@link SecretResolver#environment()})
         * @return this builder
         */
        public Builder secrets(SecretResolver resolver) {
            once("secrets");
            this.secrets = requireNonNull(resolver, "secrets");
            return this;
        }

        /**
         * @param namespace where the Secrets of ClusterIssuers live (cert-manager's
         *     {@code --cluster-resource-namespace}); the {@linkplain #store(CertificateStore) store's} if it has one,
         *     else {@code cert-manager}, if unset
         * @return this builder
         */
        public Builder clusterResourceNamespace(String namespace) {
            once("clusterResourceNamespace");
            requireNonNull(namespace, "clusterResourceNamespace");
            if (namespace.isBlank()) {
                throw new IllegalArgumentException("clusterResourceNamespace must not be blank");
            }
            this.clusterResourceNamespace = namespace;
            return this;
        }

        /**
         * @param directory an ACME directory every ACME issuer uses instead of its
         *     {@code spec.acme.server}: a staging CA, or Pebble in tests; must be https
         * @return this builder
         */
        public Builder acmeServerOverride(URI directory) {
            once("acmeServerOverride");
            requireNonNull(directory, "acmeServerOverride");
            if (!"https".equalsIgnoreCase(directory.getScheme())) {
                throw new IllegalArgumentException("acmeServerOverride " + directory + " is not an https URL: ACME requires TLS");
            }
            this.acmeServerOverride = directory;
            return this;
        }

        /**
         * @param anchors the only certificates trusted for the ACME server's TLS certificate, for
         *     every ACME issuer (instead of {@code caBundle} or the JVM's trust store)
         * @return this builder
         */
        public Builder trustedCertificates(X509Certificate... anchors) {
            once("trustedCertificates");
            requireNonNull(anchors, "trustedCertificates");
            if (anchors.length == 0) {
                throw new IllegalArgumentException("trustedCertificates needs at least one certificate");
            }
            this.trustedCertificates = List.of(anchors);
            return this;
        }

        /**
         * @param baseUrl the Cloudflare v4 API base every Cloudflare solver uses (an emulator in tests)
         * @return this builder
         */
        public Builder cloudflareBaseUrl(URI baseUrl) {
            once("cloudflareBaseUrl");
            this.cloudflareBaseUrl = requireNonNull(baseUrl, "cloudflareBaseUrl");
            return this;
        }

        /**
         * @param factory makes the solver for each {@code http01.ingress} block; manifests with
         *     {@code http01} are refused without one
         * @return this builder
         */
        public Builder http01Solvers(Http01SolverFactory factory) {
            once("http01Solvers");
            this.http01Solvers = requireNonNull(factory, "http01Solvers");
            return this;
        }

        /**
         * @param customizer called with every DNS-01 solver's builder after the manifest's settings
         *     are applied: resolvers, propagation timeout, poll interval — what a manifest does not say
         * @return this builder
         */
        public Builder dns01(Consumer<Dns01Solver.Builder> customizer) {
            once("dns01");
            this.dns01Customizer = requireNonNull(customizer, "dns01");
            return this;
        }

        /**
         * The store for the manifests' certificates, which {@link Manifests#applyTo} gives the manager. A store that
         * keeps cluster resources in a namespace ({@link ClusterResourceNamespace}, as {@code KubernetesSecretStore})
         * sets the cluster resource namespace here too: the Secrets of ClusterIssuers are read where the store keeps
         * their account keys, set once, on the store.
         *
         * @param store the store
         * @return this builder
         */
        public Builder store(CertificateStore store) {
            once("store");
            this.store = requireNonNull(store, "store");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalStateException when {@link #clusterResourceNamespace(String)} names another namespace than
         *     the {@linkplain #store(CertificateStore) store's}
         */
        public ManifestOptions build() {
            if (store instanceof ClusterResourceNamespace namespaced) {
                String stores = namespaced.clusterResourceNamespace();
                if (set.contains("clusterResourceNamespace") && !clusterResourceNamespace.equals(stores)) {
                    throw new IllegalStateException("ManifestOptions: clusterResourceNamespace(\"" + clusterResourceNamespace
                            + "\") differs from the store's cluster resource namespace \"" + stores + "\": ClusterIssuers "
                            + "would read their Secrets from one and keep their account keys in the other. Set it once, on "
                            + "the store, and leave clusterResourceNamespace(...) out here");
                }
                clusterResourceNamespace = stores;
            }
            return new ManifestOptions(this);
        }
    }
}
