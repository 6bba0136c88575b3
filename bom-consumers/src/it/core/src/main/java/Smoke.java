import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;

/** autocert4j-core from the BOM alone: a manager issues a certificate (BouncyCastle signs it). */
public final class Smoke {
    public static void main(String[] args) throws Exception {
        try (CertificateManager manager = CertificateManager.builder()
                .issuer(SelfSignedIssuer.builder("selfsigned").build())
                .store(new InMemoryCertificateStore()).build()) {
            StoredCertificate cert = manager.obtain(Certificate.builder("www").dnsNames("www.example.test")
                    .issuerRef(IssuerRef.clusterIssuer("selfsigned")).build());
            check(cert.leaf().getSubjectX500Principal().getName().contains("www.example.test"), "issued for www.example.test");
        }
        System.out.println("core: a manager issued a certificate");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("expected: " + what);
        }
    }
}
