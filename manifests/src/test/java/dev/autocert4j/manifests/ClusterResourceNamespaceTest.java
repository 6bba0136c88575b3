package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.ClusterResourceNamespace;
import dev.autocert4j.store.StoredCertificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The cluster resource namespace is set once, on the store, and the manifests' ClusterIssuers read their Secrets there. */
class ClusterResourceNamespaceTest {
    /** A ClusterIssuer whose EAB key is a Secret of namespace {@code shop}, given in the same file. */
    private static final String EAB_IN_SHOP = """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: zerossl}
            spec:
              acme:
                server: https://acme.zerossl.com/v2/DV90
                privateKeySecretRef: {name: zerossl-account}
                externalAccountBinding:
                  keyID: kid-1
                  keySecretRef: {name: zerossl-eab, key: secret}
                solvers:
                  - dns01:
                      rfc2136: {nameserver: 127.0.0.1, tsigKeyName: k, tsigSecretSecretRef: {name: zerossl-eab, key: secret}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: zerossl-eab, namespace: shop}
            stringData: {secret: c2VjcmV0LWhtYWMta2V5LW9mLWF0LWxlYXN0LTE2LWJ5dGVz}
            """;

    /** A store with a cluster resource namespace, as KubernetesSecretStore; keeps what it is given in memory. */
    private static final class NamespacedStore implements CertificateStore, ClusterResourceNamespace {
        private final String namespace;
        private final Map<String, StoredCertificate> saved = new ConcurrentHashMap<>();

        NamespacedStore(String namespace) {
            this.namespace = namespace;
        }

        @Override
        public String clusterResourceNamespace() {
            return namespace;
        }

        @Override
        public Optional<StoredCertificate> load(Certificate certificate) {
            return Optional.ofNullable(saved.get(certificate.id()));
        }

        @Override
        public void save(Certificate certificate, StoredCertificate stored) {
            saved.put(certificate.id(), stored);
        }
    }

    @Test
    void theStoresNamespaceIsWhereClusterIssuersReadTheirSecrets() {
        ManifestOptions options = ManifestOptions.builder().store(new NamespacedStore("shop")).build();

        assertThat(options.clusterResourceNamespace()).isEqualTo("shop");
        assertThat(Manifests.parse(EAB_IN_SHOP, "issuer.yaml", options).issuers()).hasSize(1);
        assertThatThrownBy(() -> Manifests.parse(EAB_IN_SHOP, "issuer.yaml", ManifestOptions.builder().build()))
                .as("without the store: the default namespace, cert-manager").isInstanceOf(ManifestException.class)
                .hasMessageContaining("zerossl-eab");
    }

    @Test
    void aClusterResourceNamespaceOtherThanTheStoresIsRefusedWithTheFix() {
        ManifestOptions.Builder options = ManifestOptions.builder().store(new NamespacedStore("shop"))
                .clusterResourceNamespace("cert-manager");

        assertThatThrownBy(options::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clusterResourceNamespace(\"cert-manager\") differs from the store's cluster resource "
                        + "namespace \"shop\"")
                .hasMessageContaining("Set it once, on the store, and leave clusterResourceNamespace(...) out here");
    }

    @Test
    void theSameNamespaceTwiceIsAccepted() {
        ManifestOptions options = ManifestOptions.builder().clusterResourceNamespace("shop")
                .store(new NamespacedStore("shop")).build();

        assertThat(options.clusterResourceNamespace()).isEqualTo("shop");
    }

    @Test
    void applyToGivesTheManagerTheOptionsStore() throws Exception {
        NamespacedStore store = new NamespacedStore("shop");
        Manifests manifests = Manifests.parse("""
                apiVersion: cert-manager.io/v1
                kind: ClusterIssuer
                metadata: {name: selfsigned}
                spec: {selfSigned: {}}
                ---
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata: {name: web, namespace: shop}
                spec:
                  dnsNames: [web.example.test]
                  secretName: web-tls
                  issuerRef: {name: selfsigned, kind: ClusterIssuer}
                """, "selfsigned.yaml", ManifestOptions.builder().store(store).build());

        try (CertificateManager manager = manifests.applyTo(CertificateManager.builder()).build()) {
            manager.obtain(manifests.certificates().get(0));
        }

        assertThat(store.saved.keySet()).isEqualTo(java.util.Set.of(manifests.certificates().get(0).id()));
        assertThat(List.copyOf(store.saved.values()).get(0).leaf().getSubjectX500Principal().getName())
                .contains("web.example.test");
    }
}
