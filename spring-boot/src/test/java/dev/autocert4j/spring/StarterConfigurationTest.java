package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the auto-configuration creates from properties, and when it backs off; no web server, no CA. */
class StarterConfigurationTest {
    @TempDir
    Path dir;

    private ConfigurableApplicationContext run(Class<?>[] sources, String... properties) {
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).properties(properties).run();
    }

    @Test
    void selfSignedCertificateIsInTheSslBundleWhenTheBundleIsFirstAskedFor() throws Exception {
        try (ConfigurableApplicationContext context = run(new Class<?>[] {TestApplication.class},
                "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.api.dns-names=api.internal,api2.internal",
                "autocert4j.certificates.api.renew-before=30d",
                "autocert4j.store.directory=" + dir)) {
            assertThat(context.getBean(CertificateManager.class).managedCertificates())
                    .extracting(c -> c.renewBefore().orElseThrow()).containsExactly(java.time.Duration.ofDays(30));
            SslBundle bundle = context.getBean(SslBundles.class).getBundle("autocert4j");

            KeyStore keyStore = bundle.getStores().getKeyStore();
            X509Certificate leaf = (X509Certificate) keyStore.getCertificate(bundle.getKey().getAlias());
            assertThat(leaf.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
                    .containsExactly("api.internal", "api2.internal");
            assertThat(keyStore.getKey(bundle.getKey().getAlias(), bundle.getKey().getPassword().toCharArray()))
                    .isNotNull();
            assertThat(Files.list(dir)).as("the certificate was written to the file store").isNotEmpty();
            assertThat(context.getBean(Http01Solver.class).address())
                    .as("no ACME issuer, so no HTTP-01 port is opened").isEmpty();
        }
    }

    @Test
    void sslBundleServesTheChosenCertificate() throws Exception {
        try (ConfigurableApplicationContext context = run(new Class<?>[] {TestApplication.class},
                "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.api.dns-names=api.internal",
                "autocert4j.certificates.www.dns-names=www.internal",
                "autocert4j.ssl.bundle=internal-tls",
                "autocert4j.ssl.certificate=www",
                "autocert4j.store.directory=" + dir)) {
            SslBundle bundle = context.getBean(SslBundles.class).getBundle("internal-tls");

            X509Certificate leaf = (X509Certificate) bundle.getStores().getKeyStore().getCertificate(bundle.getKey().getAlias());
            assertThat(leaf.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly("www.internal");
        }
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnCertificateManager() throws Exception {
        try (ConfigurableApplicationContext context = run(new Class<?>[] {TestApplication.class, OwnManager.class})) {
            CertificateManager manager = context.getBean(CertificateManager.class);

            assertThat(manager).isSameAs(context.getBean(OwnManager.class).manager);
            SslBundle bundle = context.getBean(SslBundles.class).getBundle("autocert4j");
            X509Certificate leaf = (X509Certificate) bundle.getStores().getKeyStore().getCertificate(bundle.getKey().getAlias());
            assertThat(leaf.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly("own.internal");
        }
    }

    @Test
    void disabledStarterConfiguresNothing() {
        try (ConfigurableApplicationContext context = run(new Class<?>[] {TestApplication.class}, "autocert4j.enabled=false")) {
            assertThat(context.getBeanNamesForType(CertificateManager.class)).isEmpty();
            assertThat(context.getBeanNamesForType(Http01Solver.class)).isEmpty();
        }
    }

    @Test
    void defaultsAreTheStoreUnderTheUserHomeAndPort80OnAllAddresses() {
        Autocert4jProperties defaults = new Autocert4jProperties();
        assertThat(defaults.getStore().getDirectory())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".autocert4j", "certificates"));
        assertThat(defaults.getHttp01().getPort()).isEqualTo(80);
        assertThat(defaults.getHttp01().getAddress()).isEqualTo("0.0.0.0");
        assertThat(defaults.getSsl().getBundle()).isEqualTo("autocert4j");
    }

    @Test
    void closingTheContextClosesTheManager() {
        CertificateManager manager;
        try (ConfigurableApplicationContext context = run(new Class<?>[] {TestApplication.class},
                "autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.api.dns-names=api.internal",
                "autocert4j.store.directory=" + dir)) {
            manager = context.getBean(CertificateManager.class);
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(manager::start))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    /** An application's own certificate manager, with its own issuer and store. */
    @Configuration(proxyBeanMethods = false)
    static class OwnManager {
        final CertificateManager manager = CertificateManager.builder()
                .issuer(SelfSignedIssuer.builder("own").build())
                .store(new InMemoryCertificateStore()).build();

        @Bean
        CertificateManager ownCertificateManager() {
            manager.manage(Certificate.builder("own").dnsNames("own.internal").issuerRef(IssuerRef.clusterIssuer("own")).build());
            return manager;
        }
    }
}
