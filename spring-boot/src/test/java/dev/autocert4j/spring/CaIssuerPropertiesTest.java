package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code autocert4j.issuers.<name>.ca.{certificate, private-key}}: a private CA from PEM files signs the certificates. */
class CaIssuerPropertiesTest {
    @TempDir
    static Path pems;

    @TempDir
    Path store;

    static StoredCertificate ca;
    static Path caCertificate;
    static Path caKey;
    static Path otherCaKey;
    static Path leafCertificate;
    static Path leafKey;

    @BeforeAll
    static void makeCasAndALeafAsPemFiles() throws Exception {
        try (CertificateManager manager = CertificateManager.builder().issuer(SelfSignedIssuer.builder("root").build())
                .store(new InMemoryCertificateStore()).build()) {
            ca = manager.obtain(root("example-ca"));
            StoredCertificate other = manager.obtain(root("other-ca"));
            StoredCertificate leaf = manager.obtain(Certificate.builder("leaf").dnsNames("leaf.internal")
                    .issuerRef(IssuerRef.clusterIssuer("root")).build());
            caCertificate = write("ca.crt", Pem.encodeChain(ca.chain()));
            caKey = write("ca.key", Pem.encodePrivateKey(ca.keyPair().getPrivate(), KeyEncoding.PKCS8));
            otherCaKey = write("other-ca.key", Pem.encodePrivateKey(other.keyPair().getPrivate(), KeyEncoding.PKCS1));
            leafCertificate = write("leaf.crt", Pem.encodeChain(leaf.chain()));
            leafKey = write("leaf.key", Pem.encodePrivateKey(leaf.keyPair().getPrivate(), KeyEncoding.PKCS1));
        }
    }

    private static Certificate root(String name) {
        return Certificate.builder(name).commonName(name + " Root").isCA(true).duration(Duration.ofDays(365))
                .issuerRef(IssuerRef.clusterIssuer("root")).build();
    }

    private static Path write(String name, String pem) throws Exception {
        return Files.writeString(pems.resolve(name), pem);
    }

    private Throwable startFailure(String certificate, String key) {
        return StartupFailures.start(store, "autocert4j.issuers.internal.ca.certificate=" + certificate,
                "autocert4j.issuers.internal.ca.private-key=" + key,
                "autocert4j.certificates.api.dns-names=api.internal");
    }

    @Test
    void caIssuerFromPemFilesSignsTheCertificateTheBundleServes() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE).properties(
                        "autocert4j.issuers.internal.ca.certificate=" + caCertificate,
                        "autocert4j.issuers.internal.ca.private-key=" + caKey,
                        "autocert4j.certificates.api.dns-names=api.internal",
                        "autocert4j.store.directory=" + store).run()) {
            SslBundle bundle = context.getBean(SslBundles.class).getBundle("autocert4j");
            java.security.cert.Certificate[] chain = bundle.getStores().getKeyStore().getCertificateChain(bundle.getKey().getAlias());

            X509Certificate leaf = (X509Certificate) chain[0];
            X509Certificate root = ca.chain().get(0);
            assertThat(leaf.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
            leaf.verify(root.getPublicKey()); // throws unless the CA's key signed it
            assertThat(chain).as("leaf, then the CA").containsExactly(leaf, root);
            assertThat(leaf.getBasicConstraints()).as("a leaf, not a CA").isEqualTo(-1);
        }
    }

    @Test
    void missingCertificateFileFailsStartupNamingTheProperty() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(
                startFailure(pems.resolve("absent.crt").toString(), caKey.toString()));

        assertThat(invalid.property()).isEqualTo("autocert4j.issuers.internal.ca.certificate");
        assertThat(invalid.getMessage()).contains("absent.crt").contains("does not exist");
    }

    @Test
    void keyOfAnotherCaFailsStartupNamingThePrivateKey() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(
                startFailure(caCertificate.toString(), otherCaKey.toString()));

        assertThat(invalid.property()).isEqualTo("autocert4j.issuers.internal.ca.private-key");
        assertThat(invalid.getMessage()).contains("is not the private key of the CA certificate").contains("example-ca Root")
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void certificateThatIsNoCaFailsStartupNamingTheCertificate() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(
                startFailure(leafCertificate.toString(), leafKey.toString()));

        assertThat(invalid.property()).isEqualTo("autocert4j.issuers.internal.ca.certificate");
        assertThat(invalid.getMessage()).contains("not a CA certificate");
        assertThat(invalid.action()).contains("CA:true");
    }

    @Test
    void keyFileThatHoldsACertificateFailsStartupNamingThePrivateKey() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(
                startFailure(caCertificate.toString(), caCertificate.toString()));

        assertThat(invalid.property()).isEqualTo("autocert4j.issuers.internal.ca.private-key");
        assertThat(invalid.getMessage()).contains("expected an unencrypted private key");
    }

    @Test
    void caIssuerWithoutItsKeyFailsStartupNamingTheMissingProperty() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(StartupFailures.start(store,
                "autocert4j.issuers.internal.ca.certificate=" + caCertificate,
                "autocert4j.certificates.api.dns-names=api.internal"));

        assertThat(invalid.property()).isEqualTo("autocert4j.issuers.internal.ca.private-key");
    }

    @Test
    void issuerThatIsBothSelfSignedAndCaFailsStartupNamingBoth() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(StartupFailures.start(store,
                "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.issuers.internal.ca.certificate=" + caCertificate,
                "autocert4j.issuers.internal.ca.private-key=" + caKey,
                "autocert4j.certificates.api.dns-names=api.internal"));

        assertThat(invalid.property()).isEqualTo("autocert4j.issuers.internal");
        assertThat(invalid.action()).contains("autocert4j.issuers.internal.self-signed").contains("autocert4j.issuers.internal.ca");
    }
}
