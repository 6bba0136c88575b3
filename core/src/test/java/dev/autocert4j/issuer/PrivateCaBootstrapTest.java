package dev.autocert4j.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's private CA with a root that has only a common name, through the manager. */
class PrivateCaBootstrapTest {
    @Test
    void aRootWithOnlyACommonNameIsIssuedAndSignsLeavesThroughTheManager() throws Exception {
        Certificate root = Certificate.builder("internal-ca").commonName("Example Root CA").isCA(true)
                .duration(Duration.ofDays(3650)).issuerRef(IssuerRef.clusterIssuer("selfsigned")).build();
        CertificateManager manager = CertificateManager.builder().issuer(SelfSignedIssuer.builder("selfsigned").build())
                .issuer(CaIssuer.builder("internal-ca").secret(root).build()).store(new InMemoryCertificateStore()).build();

        StoredCertificate ca = manager.obtain(root);
        StoredCertificate api = manager.obtain(Certificate.builder("api").dnsNames("api.internal")
                .issuerRef(IssuerRef.clusterIssuer("internal-ca")).build());

        assertThat(ca.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=Example Root CA");
        assertThat(api.chain()).hasSize(2);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.leaf(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(api.chain().subList(0, 1)), parameters);
    }
}
