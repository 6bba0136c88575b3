package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.autocert4j.solver.dns.cloudflare.CloudflareDnsProvider;
import dev.autocert4j.testing.support.KnownSecrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** A bad {@code autocert4j.*} configuration fails start-up with a report that names the property to change. */
class StartupFailureTest {
    @TempDir
    Path dir;

    private Throwable startFailure(String... properties) {
        List<String> all = new ArrayList<>(List.of(properties));
        all.add("autocert4j.store.directory=" + dir);
        return catchThrowable(() -> new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run().close());
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static InvalidAutocert4jPropertyException invalidProperty(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidAutocert4jPropertyException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("cause of %s", failure).isInstanceOf(InvalidAutocert4jPropertyException.class);
        return (InvalidAutocert4jPropertyException) cause;
    }

    @Test
    void certificateWithoutDnsNamesFailsStartupNamingTheProperty() {
        Throwable failure = startFailure("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.issuer=internal");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.certificates.www.dns-names");
        assertThat(invalid.getMessage()).contains("no DNS names");
    }

    @Test
    void unknownIssuerFailsStartupNamingTheProperty() {
        Throwable failure = startFailure("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.dns-names=www.example.test",
                "autocert4j.certificates.www.issuer=letsencrypt");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.certificates.www.issuer");
        assertThat(invalid.getMessage()).contains("no issuer is named 'letsencrypt'");
        assertThat(invalid.action()).contains("[internal]");
    }

    @Test
    void misspelledAcmeServerFailsStartupNamingTheProperty() throws Exception {
        Throwable failure = startFailure("autocert4j.issuers.le.acme.server=lets-encrpyt",
                "autocert4j.http01.address=127.0.0.1", "autocert4j.http01.port=" + freePort(),
                "autocert4j.certificates.www.dns-names=www.example.test");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.issuers.le.acme.server");
        assertThat(invalid.action()).contains("lets-encrypt, lets-encrypt-staging");
    }

    @Test
    void wildcardWithOnlyHttp01FailsStartupNamingTheCertificate() throws Exception {
        Throwable failure = startFailure("autocert4j.issuers.le.acme.server=https://127.0.0.1:1/never-asked",
                "autocert4j.http01.address=127.0.0.1", "autocert4j.http01.port=" + freePort(),
                "autocert4j.certificates.www.dns-names=*.example.test");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.certificates.www");
        assertThat(invalid.getMessage()).contains("*.example.test");
    }

    @Test
    void badExternalAccountBindingKeyFailsStartupWithoutShowingTheKey() throws Exception {
        String hmacKey = KnownSecrets.register("not*base64url*" + java.util.UUID.randomUUID());
        Throwable failure = startFailure("autocert4j.issuers.zerossl.acme.server=https://127.0.0.1:1/never-asked",
                "autocert4j.issuers.zerossl.acme.external-account-binding.key-id=kid-1",
                "autocert4j.issuers.zerossl.acme.external-account-binding.hmac-key=" + hmacKey,
                "autocert4j.http01.address=127.0.0.1", "autocert4j.http01.port=" + freePort(),
                "autocert4j.certificates.www.dns-names=www.example.test");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.issuers.zerossl.acme.external-account-binding.hmac-key");
        assertThat(invalid.getMessage()).contains("not base64url").doesNotContain(hmacKey);
        assertThat(invalid.action()).doesNotContain(hmacKey);
        assertThat(new Autocert4jProperties.ExternalAccountBinding()).hasToString("ExternalAccountBinding[keyId=null, hmacKey=unset]");
    }

    @Test
    void webServerDoesNotStartWhenTheFirstCertificateCannotBeObtained() throws Exception {
        int deadCa = freePort();
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0", "server.ssl.bundle=autocert4j",
                "autocert4j.issuers.le.acme.server=https://127.0.0.1:" + deadCa + "/dir",
                "autocert4j.http01.address=127.0.0.1", "autocert4j.http01.port=" + freePort(),
                "autocert4j.certificates.www.dns-names=www.example.test",
                "autocert4j.store.directory=" + dir).run().close());

        assertThat(failure).isNotNull();
        Throwable cause = failure;
        while (cause != null && (cause.getMessage() == null || !cause.getMessage().startsWith("autocert4j cannot obtain"))) {
            cause = cause.getCause();
        }
        assertThat(cause).as("cause of %s", failure).isNotNull();
        assertThat(cause.getMessage()).contains("default/www").contains("before start-up");
    }

    @Test
    void unknownDnsProviderFailsStartupNamingTheProperty() {
        Throwable failure = startFailure("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.solvers.dns.dns01.route53.region=eu-west-1",
                "autocert4j.certificates.www.dns-names=www.example.test");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.solvers.dns.dns01.route53");
        assertThat(invalid.getMessage()).contains("no DNS provider named 'route53'");
        assertThat(invalid.action()).contains("rfc2136", "cloudflare", "autocert4j-solvers-dns-cloudflare");
        assertThat(new Autocert4jFailureAnalyzer().analyze(failure).getAction())
                .startsWith("Change the property 'autocert4j.solvers.dns.dns01.route53'");
    }

    @Test
    void emptyTsigSecretFailsStartupNamingThePropertyNotTheValue() {
        Throwable failure = startFailure("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.solvers.bind.dns01.rfc2136.nameserver=127.0.0.1:5353",
                "autocert4j.solvers.bind.dns01.rfc2136.tsig-key-name=acme-update",
                "autocert4j.solvers.bind.dns01.rfc2136.tsig-secret=${AUTOCERT4J_TEST_TSIG_SECRET:}",
                "autocert4j.certificates.www.dns-names=*.example.test");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.solvers.bind.dns01.rfc2136.tsig-secret");
        assertThat(invalid.getMessage()).contains("the secret is empty");
    }

    @Test
    void tsigSecretThatIsNotBase64FailsStartupWithoutShowingIt() {
        String secret = KnownSecrets.register("not*base64*" + java.util.UUID.randomUUID());
        Throwable failure = startFailure("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.solvers.bind.dns01.rfc2136.nameserver=127.0.0.1:5353",
                "autocert4j.solvers.bind.dns01.rfc2136.tsig-key-name=acme-update",
                "autocert4j.solvers.bind.dns01.rfc2136.tsig-secret=" + secret,
                "autocert4j.certificates.www.dns-names=*.example.test");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.solvers.bind.dns01.rfc2136.tsig-secret");
        assertThat(invalid.getMessage()).contains("not base64").doesNotContain(secret);
        assertThat(invalid.action()).doesNotContain(secret);
    }

    @Test
    void unsetCloudflareTokenFailsStartupNamingThePropertyAndTheVariable() {
        Throwable failure = startFailure("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.solvers.cf.dns01.cloudflare.api-token=${AUTOCERT4J_TEST_UNSET_CLOUDFLARE_TOKEN}",
                "autocert4j.certificates.www.dns-names=*.example.test");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.solvers.cf.dns01.cloudflare.api-token");
        assertThat(invalid.getMessage()).contains("${AUTOCERT4J_TEST_UNSET_CLOUDFLARE_TOKEN} is not resolved");
        assertThat(invalid.action()).contains("AUTOCERT4J_TEST_UNSET_CLOUDFLARE_TOKEN");
    }

    @Test
    void cloudflareWithoutCredentialsFailsStartupNamingTheTokenProperty() {
        Throwable failure = startFailure("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.solvers.cf.dns01.cloudflare.email=ops@example.test",
                "autocert4j.certificates.www.dns-names=*.example.test");

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.solvers.cf.dns01.cloudflare.api-token");
        assertThat(invalid.action()).contains("api-key");
    }

    @Test
    void cloudflareWithoutItsJarFailsStartupSayingWhichDependencyToAdd() {
        String token = KnownSecrets.register("cf-token-" + java.util.UUID.randomUUID());
        ClassLoader withoutCloudflare = new FilteredClassLoader(CloudflareDnsProvider.class);
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApplication.class)
                .resourceLoader(new DefaultResourceLoader(withoutCloudflare)).web(WebApplicationType.NONE)
                .properties("autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.solvers.cf.dns01.cloudflare.api-token=" + token,
                        "autocert4j.certificates.www.dns-names=*.example.test",
                        "autocert4j.store.directory=" + dir).run().close());

        InvalidAutocert4jPropertyException invalid = invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.solvers.cf.dns01.cloudflare");
        assertThat(invalid.getMessage()).contains("not on the class path");
        assertThat(invalid.action()).contains("dev.autocert4j:autocert4j-solvers-dns-cloudflare").doesNotContain(token);
    }

    @Test
    void springBootsFailureReportSaysWhichPropertyToChange() {
        Throwable failure = startFailure("autocert4j.issuers.internal.self-signed=true",
                "autocert4j.certificates.www.issuer=internal");

        // as Spring Boot finds it; analyzers that need a bean factory cannot be made here and are skipped
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, (type, name, error) -> { });
        FailureAnalysis analysis = analyzers.stream().filter(Autocert4jFailureAnalyzer.class::isInstance)
                .findFirst().orElseThrow().analyze(failure);
        assertThat(analysis.getDescription()).contains("autocert4j.certificates.www.dns-names: the certificate has no DNS names");
        assertThat(analysis.getAction()).startsWith("Change the property 'autocert4j.certificates.www.dns-names'");
    }
}
