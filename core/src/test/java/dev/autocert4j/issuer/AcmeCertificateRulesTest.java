package dev.autocert4j.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateSubject;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.solver.SolverSet;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcmeCertificateRulesTest {
    private final AcmeIssuer acme = AcmeIssuer.builder("le").directory(URI.create("https://127.0.0.1:1/dir")).build();

    private static Certificate.Builder cert() {
        return Certificate.builder("app").issuerRef(IssuerRef.clusterIssuer("le"));
    }

    private void check(Certificate certificate) {
        acme.checkCanIssue(certificate, new SolverSet(List.of()));
    }

    @Test
    void refusesUriSansBeforeOrderingAndSaysWhatToUseInstead() {
        assertThatThrownBy(() -> check(cert().dnsNames("app.example.test").uris("spiffe://cluster.local/app").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uris")
                .hasMessageContaining("Let's Encrypt refuses").hasMessageContaining("SelfSignedIssuer or CaIssuer");
    }

    @Test
    void refusesEmailSansBeforeOrdering() {
        assertThatThrownBy(() -> check(cert().dnsNames("app.example.test").emailAddresses("ops@example.test").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("emailAddresses");
    }

    @Test
    void refusesACommonNameThatIsNotOneOfTheNamesAsCertManagersAcmeIssuer() {
        assertThatThrownBy(() -> check(cert().dnsNames("a.example.test").commonName("b.example.test").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commonName b.example.test")
                .hasMessageContaining("add it to dnsNames");
        assertThatThrownBy(() -> check(cert().dnsNames("a.example.test")
                .subject(CertificateSubject.literal("CN=b.example.test,O=Example")).build()))
                .hasMessageContaining("commonName b.example.test");
    }

    @Test
    void refusesACertificateWithOnlyACommonName() {
        assertThatThrownBy(() -> check(cert().commonName("Example Root").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no dnsNames or ipAddresses");
    }

    @Test
    void acceptsSubjectAttributesWhichTheCaMayDrop() {
        assertThat(AcmeCertificateRules.refusal(cert().dnsNames("a.example.test").commonName("A.example.test")
                .subject(CertificateSubject.builder().organizations("Example").build()).build())).isNull();
    }
}
