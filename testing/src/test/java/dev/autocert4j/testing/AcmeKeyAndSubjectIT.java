package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.CertificateSubject;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.SignatureAlgorithm;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The largest keys cert-manager allows, and the subject fields, sent to a real Pebble. */
class AcmeKeyAndSubjectIT {
    private static PebbleServer pebble;
    private static Http01Solver http01;

    @BeforeAll
    static void startPebble() throws Exception {
        pebble = PebbleServer.builder().start();
        http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build();
        http01.start();
    }

    @AfterAll
    static void stopPebble() {
        if (http01 != null) {
            http01.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    private static CertificateManager manager() {
        AcmeIssuer issuer = AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                .trustedCertificates(pebble.tlsTrustAnchor()).build();
        return CertificateManager.builder().issuer(issuer).solver(http01).store(new InMemoryCertificateStore()).build();
    }

    private static Certificate.Builder cert(String name) {
        return Certificate.builder(name).issuerRef(IssuerRef.clusterIssuer("pebble"));
    }

    @Test
    void pebbleIssuesForAnEcdsaP521Key() throws Exception {
        StoredCertificate issued = manager().obtain(cert("p521").dnsNames("p521.example.test")
                .privateKey(PrivateKeySpec.ecdsa(521)).build());

        Chains.assertChainsUpTo(issued.chain(), pebble.rootCertificate());
        assertThat(((ECPublicKey) issued.leaf().getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(521);
        Chains.assertKeyMatchesLeaf(issued);
    }

    @Test
    void pebbleIssuesForAnRsa8192KeyFromACsrSignedWithTheSignatureAlgorithmAsked() throws Exception {
        StoredCertificate issued = manager().obtain(cert("rsa8192").dnsNames("rsa8192.example.test")
                .privateKey(PrivateKeySpec.rsa(8192)).signatureAlgorithm(SignatureAlgorithm.SHA256_WITH_RSA).build());

        Chains.assertChainsUpTo(issued.chain(), pebble.rootCertificate());
        assertThat(((RSAPublicKey) issued.leaf().getPublicKey()).getModulus().bitLength()).isEqualTo(8192);
        Chains.assertKeyMatchesLeaf(issued);
    }

    @Test
    void subjectAttributesGoInTheCsrAndPebbleLeavesThemOut() throws Exception {
        StoredCertificate issued = manager().obtain(cert("subject").dnsNames("subject.example.test")
                .commonName("subject.example.test")
                .subject(CertificateSubject.builder().organizations("Example").countries("DE").build()).build());

        // Pebble (as Let's Encrypt) accepts the CSR and issues with a subject of its own choosing:
        // the common name at most, never the organization or country.
        String subject = issued.leaf().getSubjectX500Principal().getName();
        assertThat(subject).doesNotContain("O=Example").doesNotContain("C=DE");
        assertThat(Chains.sans(issued.leaf())).containsExactly("subject.example.test");
    }
}
