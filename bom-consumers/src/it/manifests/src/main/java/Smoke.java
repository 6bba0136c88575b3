import dev.autocert4j.CertificateManager;
import dev.autocert4j.manifests.ManifestOptions;
import dev.autocert4j.manifests.Manifests;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;

/** autocert4j-manifests from the BOM alone: a manifest is loaded (snakeyaml-engine) and its issuer issues. */
public final class Smoke {
    static final String YAML = """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: selfsigned
            spec:
              selfSigned: {}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: www
              namespace: shop
            spec:
              secretName: www-tls
              issuerRef: {name: selfsigned, kind: ClusterIssuer}
              dnsNames: [www.example.test]
            """;

    public static void main(String[] args) throws Exception {
        Manifests manifests = Manifests.parse(YAML, "smoke.yaml", ManifestOptions.defaults());
        try (CertificateManager manager = manifests.applyTo(CertificateManager.builder())
                .store(new InMemoryCertificateStore()).build()) {
            StoredCertificate cert = manager.obtain(manifests.certificates().get(0));
            if (!cert.leaf().getSubjectX500Principal().getName().contains("www.example.test")) {
                throw new AssertionError(cert.leaf());
            }
        }
        System.out.println("manifests: manifest loaded, certificate issued");
    }
}
