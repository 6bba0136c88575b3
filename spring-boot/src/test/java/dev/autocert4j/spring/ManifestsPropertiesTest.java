package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.manifests.Manifests;
import dev.autocert4j.testing.support.KnownSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/** {@code autocert4j.manifests.locations}: cert-manager manifests configure issuers and certificates beside the properties. */
class ManifestsPropertiesTest {
    private static final String MANIFEST = "autocert4j.manifests.locations=classpath:manifests/internal-ca.yaml";

    @TempDir
    Path store;

    private ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE).properties(properties)
                .properties("autocert4j.store.directory=" + store).run();
    }

    private static X509Certificate leaf(ConfigurableApplicationContext context, String bundleName) throws Exception {
        SslBundle bundle = context.getBean(SslBundles.class).getBundle(bundleName);
        return (X509Certificate) bundle.getStores().getKeyStore().getCertificate(bundle.getKey().getAlias());
    }

    @Test
    void manifestsAloneConfigureTheManagerAndTheBundleServesTheirCertificate() throws Exception {
        try (ConfigurableApplicationContext context = run(MANIFEST)) {
            assertThat(context.getBean(CertificateManager.class).managedCertificates()).extracting(Certificate::id)
                    .containsExactly("apps/api-internal");

            X509Certificate leaf = leaf(context, "autocert4j");
            assertThat(leaf.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly("api.internal");
            assertThat(((ECPublicKey) leaf.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                    .as("the manifest's privateKey.size").isEqualTo(384);
        }
    }

    @Test
    void manifestsAddToThePropertiesCertificates() throws Exception {
        try (ConfigurableApplicationContext context = run(MANIFEST, "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.dns-names=www.internal", "autocert4j.ssl.certificate=www")) {
            assertThat(context.getBean(CertificateManager.class).managedCertificates()).extracting(Certificate::id)
                    .containsExactlyInAnyOrder("apps/api-internal", "default/www");

            assertThat(leaf(context, "autocert4j").getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
                    .containsExactly("www.internal");
            assertThat(leaf(context, "autocert4j-api-internal").getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
                    .as("each certificate's own bundle").containsExactly("api.internal");
        }
    }

    @Test
    void issuerNamedInBothFailsStartupNamingTheProperty() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(StartupFailures.start(store, MANIFEST,
                "autocert4j.issuers.selfsigned.self-signed=true", "autocert4j.certificates.www.dns-names=www.internal"));

        assertThat(invalid.property()).isEqualTo("autocert4j.issuers.selfsigned");
        assertThat(invalid.getMessage()).contains("autocert4j.manifests.locations").contains("'selfsigned'");
    }

    @Test
    void certificateNamedInBothFailsStartupNamingTheProperty() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(StartupFailures.start(store,
                MANIFEST + ",classpath:manifests/default-www.yaml", "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.dns-names=www.internal"));

        assertThat(invalid.property()).isEqualTo("autocert4j.certificates.www");
        assertThat(invalid.getMessage()).contains("Certificate default/www");
    }

    @Test
    void secretReferencesAreFoundInTheSecretsDirectoryAsKubernetesMountsThem() throws Exception {
        String token = KnownSecrets.register("cf-token-" + java.util.UUID.randomUUID());
        String[] properties = {"autocert4j.manifests.locations=classpath:manifests/cloudflare-issuer.yaml," + MANIFEST.split("=")[1],
                "autocert4j.manifests.secrets-directory=" + store.resolve("secrets")};
        InvalidAutocert4jPropertyException missing = StartupFailures.invalidProperty(StartupFailures.start(store, properties));
        assertThat(missing.property()).isEqualTo("autocert4j.manifests.locations");
        assertThat(missing.getMessage()).contains("cloudflare-token");

        Files.createDirectories(store.resolve("secrets/cloudflare-token"));
        Files.writeString(store.resolve("secrets/cloudflare-token/api-token"), token + "\n");
        try (ConfigurableApplicationContext context = run(properties)) {
            assertThat(context.getBean(CertificateManager.class).managedCertificates()).extracting(Certificate::id)
                    .containsExactly("apps/api-internal");
        }
    }

    @Test
    void missingManifestFailsStartupNamingTheLocations() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(StartupFailures.start(store,
                "autocert4j.manifests.locations=classpath:manifests/absent.yaml"));

        assertThat(invalid.property()).isEqualTo("autocert4j.manifests.locations");
        assertThat(invalid.getMessage()).contains("classpath:manifests/absent.yaml does not exist");
    }

    @Test
    void brokenManifestFailsStartupWithTheManifestsMessage() {
        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(StartupFailures.start(store,
                MANIFEST + ",classpath:manifests/unknown-field.yaml"));

        assertThat(invalid.property()).isEqualTo("autocert4j.manifests.locations");
        assertThat(invalid.getMessage()).contains("colour");
    }

    @Test
    void manifestsWithoutTheManifestsJarFailStartupNamingTheDependency() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .resourceLoader(new DefaultResourceLoader(new FilteredClassLoader(Manifests.class)))
                .properties(MANIFEST, "autocert4j.store.directory=" + store).run().close());

        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.manifests.locations");
        assertThat(invalid.action()).contains("dev.autocert4j:autocert4j-manifests");
    }
}
