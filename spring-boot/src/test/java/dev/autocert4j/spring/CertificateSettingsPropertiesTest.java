package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.KeyAlgorithm;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.RotationPolicy;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code autocert4j.certificates.<name>.private-key.*}, duration, usages, common name and subject reach the certificate. */
class CertificateSettingsPropertiesTest {
    @TempDir
    Path dir;

    private ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE).properties(properties)
                .properties("autocert4j.store.directory=" + dir).run();
    }

    private static X509Certificate leaf(ConfigurableApplicationContext context) throws Exception {
        SslBundle bundle = context.getBean(SslBundles.class).getBundle("autocert4j");
        return (X509Certificate) bundle.getStores().getKeyStore().getCertificate(bundle.getKey().getAlias());
    }

    @Test
    void keyLifetimeUsagesAndSubjectPropertiesShapeTheIssuedCertificate() throws Exception {
        try (ConfigurableApplicationContext context = run("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.api.dns-names=api.internal",
                "autocert4j.certificates.api.common-name=api.internal",
                "autocert4j.certificates.api.duration=48h",
                "autocert4j.certificates.api.usages=digital signature, key encipherment, server auth, client auth",
                "autocert4j.certificates.api.private-key.algorithm=RSA",
                "autocert4j.certificates.api.private-key.size=3072",
                "autocert4j.certificates.api.private-key.encoding=PKCS8",
                "autocert4j.certificates.api.private-key.rotation-policy=Never",
                "autocert4j.certificates.api.subject.organizations=Example Ltd",
                "autocert4j.certificates.api.subject.countries=CH")) {
            Certificate certificate = context.getBean(CertificateManager.class).managedCertificates().get(0);
            assertThat(certificate.privateKey())
                    .isEqualTo(new PrivateKeySpec(KeyAlgorithm.RSA, 3072, KeyEncoding.PKCS8, RotationPolicy.NEVER));
            assertThat(certificate.usages()).containsExactlyInAnyOrder(KeyUsage.DIGITAL_SIGNATURE,
                    KeyUsage.KEY_ENCIPHERMENT, KeyUsage.SERVER_AUTH, KeyUsage.CLIENT_AUTH);

            X509Certificate leaf = leaf(context);
            assertThat(((RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
            assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                    .as("48 hours from an hour ago (issuers backdate by an hour)").isEqualTo(Duration.ofHours(49));
            assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
            assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=api.internal").contains("O=Example Ltd")
                    .contains("C=CH");
        }
    }

    @Test
    void algorithmAloneGetsCertManagersDefaultsForTheRest() throws Exception {
        try (ConfigurableApplicationContext context = run("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.api.dns-names=api.internal",
                "autocert4j.certificates.api.private-key.algorithm=Ed25519",
                "autocert4j.certificates.www.dns-names=www.internal",
                "autocert4j.certificates.www.private-key.rotation-policy=never",
                "autocert4j.certificates.rsa.dns-names=rsa.internal",
                "autocert4j.certificates.rsa.private-key.algorithm=rsa",
                "autocert4j.ssl.certificate=api")) {
            assertThat(context.getBean(CertificateManager.class).managedCertificates()).extracting(Certificate::privateKey)
                    .containsExactlyInAnyOrder(PrivateKeySpec.ed25519(), PrivateKeySpec.defaults().withRotationPolicy(RotationPolicy.NEVER),
                            new PrivateKeySpec(KeyAlgorithm.RSA, 2048, KeyEncoding.PKCS1, RotationPolicy.ALWAYS));
            assertThat(leaf(context).getPublicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");
        }
    }

    @Test
    void unknownKeyAlgorithmFailsStartupListingTheAcceptedOnes() {
        Throwable failure = StartupFailures.start(dir, "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.dns-names=www.internal",
                "autocert4j.certificates.www.private-key.algorithm=DSA");

        FailureAnalysis report = StartupFailures.report(failure);
        assertThat(report.getDescription()).contains("autocert4j.certificates.www.private-key.algorithm").contains("DSA");
        assertThat(report.getAction()).contains("RSA").contains("ECDSA").contains("ED25519");
    }

    @Test
    void unknownUsageFailsStartupListingTheAcceptedOnes() {
        Throwable failure = StartupFailures.start(dir, "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.dns-names=www.internal",
                "autocert4j.certificates.www.usages=server auth, code signing");

        FailureAnalysis report = StartupFailures.report(failure);
        assertThat(report.getDescription()).contains("autocert4j.certificates.www.usages").contains("code signing");
        assertThat(report.getAction()).contains("SERVER_AUTH").contains("CLIENT_AUTH").contains("DIGITAL_SIGNATURE");
    }

    @Test
    void rsaKeyTooSmallFailsStartupNamingTheSizeAndTheAcceptedSizes() {
        Throwable failure = StartupFailures.start(dir, "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.dns-names=www.internal",
                "autocert4j.certificates.www.private-key.algorithm=rsa",
                "autocert4j.certificates.www.private-key.size=1024");

        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.certificates.www.private-key.size");
        assertThat(invalid.getMessage()).contains("1024").contains("2048 to 8192");
        assertThat(StartupFailures.report(failure).getAction())
                .startsWith("Change the property 'autocert4j.certificates.www.private-key.size'");
    }

    @Test
    void ed25519WithPkcs1FailsStartupNamingTheEncoding() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(StartupFailures.start(dir,
                "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.dns-names=www.internal",
                "autocert4j.certificates.www.private-key.algorithm=ed25519",
                "autocert4j.certificates.www.private-key.encoding=pkcs1"));

        assertThat(invalid.property()).isEqualTo("autocert4j.certificates.www.private-key.encoding");
        assertThat(invalid.action()).contains("PKCS8");
    }

    @Test
    void nonPositiveDurationFailsStartupNamingIt() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(StartupFailures.start(dir,
                "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.dns-names=www.internal",
                "autocert4j.certificates.www.duration=-1h"));

        assertThat(invalid.property()).isEqualTo("autocert4j.certificates.www.duration");
        assertThat(invalid.getMessage()).contains("must be positive");
    }
}
