package dev.autocert4j.manifests;

import static dev.autocert4j.manifests.ManifestsTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateSubject;
import dev.autocert4j.SignatureAlgorithm;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cert-manager's subject, SAN, signature algorithm and secretTemplate fields, from hand-written Certificate YAML. */
class SubjectManifestsTest {
    @Test
    void mapsEverySubjectFieldUrisEmailsSignatureAlgorithmAndSecretTemplate() throws Exception {
        Certificate c = Manifests.load(resource("subject", "certificate-all-subject-fields.yaml")).certificates().get(0);

        assertThat(c.subject()).isEqualTo(CertificateSubject.builder().organizations("cert-manager").countries("GB")
                .organizationalUnits("engineering").localities("London").provinces("Greater London")
                .streetAddresses("1 Example Street").postalCodes("EC1A 1AA").serialNumber("1234").build());
        assertThat(c.commonName()).contains("example.com");
        assertThat(c.uris()).containsExactly("spiffe://cluster.local/ns/sandbox/sa/example");
        assertThat(c.emailAddresses()).containsExactly("john.doe@cert-manager.io");
        assertThat(c.ipAddresses()).containsExactly("192.168.0.5");
        assertThat(c.signatureAlgorithm()).contains(SignatureAlgorithm.SHA384_WITH_RSA);
        assertThat(c.secretTemplate().annotations()).isEqualTo(Map.of("my-secret-annotation-1", "foo",
                "my-secret-annotation-2", "bar"));
        assertThat(c.secretTemplate().labels()).isEqualTo(Map.of("my-secret-label", "foo"));
    }

    @Test
    void mapsALiteralSubjectAsWritten() throws Exception {
        Certificate c = Manifests.load(resource("subject", "certificate-literal-subject.yaml")).certificates().get(0);

        assertThat(c.subject().literal()).contains("O=jetstack, CN=example.com, 2.5.4.42=John, 2.5.4.4=Doe");
        assertThat(c.commonName()).isEmpty();
    }

    @Test
    void loadsTheSelfSignedCaBootstrapWhoseRootHasOnlyACommonName() throws Exception {
        Certificate root = Manifests.load(resource("subject", "selfsigned-ca-bootstrap.yaml")).certificates().get(0);

        assertThat(root.isCA()).isTrue();
        assertThat(root.commonName()).contains("my-selfsigned-ca");
        assertThat(root.dnsNames()).isEmpty();
        assertThat(root.identifiers()).isEmpty();
    }
}
