package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One scenario for each embedded server other than Tomcat (whose own IT also checks the actuator): the starter
 * manages two certificates from Pebble, which issues 60-second certificates, and the server serves them through
 * {@code server.ssl.bundle=autocert4j}. The first request verifies against Pebble's root, each SNI name gets its
 * own certificate, and a renewal is served from the next handshake on, without a restart. Each subclass runs in a
 * failsafe execution whose class path holds its server only (see the module's POM).
 */
abstract class LiveServerRenewalScenario {
    private static final Duration VALIDITY = Duration.ofSeconds(60);
    static final String WWW = "www.example.test";
    static final String API = "api.example.test";

    @TempDir
    static Path dir;
    @RegisterExtension
    static final LivePebble LIVE = LivePebble.issuing(VALIDITY);

    /** @return the web server factories Spring Boot must have configured, e.g. {@code [JettyServletWebServerFactory]} */
    abstract String expectedWebServer();

    /** @return properties that give each name its certificate, beyond {@code server.ssl.bundle=autocert4j} */
    abstract List<String> sniProperties();

    @Test
    void servesEachNameItsPebbleCertificateFromTheFirstRequestAndItsRenewalWithoutRestart() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getEnvironment().getProperty("local.server.port")).isNotNull();
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            assertThat(webServerFactories(context)).as("the only server on this class path").isEqualTo(expectedWebServer());

            // No retry: the certificates were obtained before the server started serving.
            TlsProbe.Response www = LIVE.client().get(port, WWW);
            assertThat(www.statusLine()).contains(" 200");
            assertThat(www.body()).isEqualTo("hello over HTTPS");
            assertThat(www.leaf().getIssuerX500Principal())
                    .isEqualTo(LIVE.server().intermediateCertificate().getSubjectX500Principal());
            assertThat(names(www.leaf())).containsExactly(WWW);
            TlsProbe.Response api = LIVE.client().get(port, API);
            assertThat(names(api.leaf())).as("the SNI name %s gets its own certificate", API).containsExactly(API);

            TlsProbe.Response renewed = ServedCertificates.pollUntil(LIVE.client(), port, WWW,
                    r -> !r.serial().equals(www.serial()), Duration.ofSeconds(120));
            assertThat(renewed.statusLine()).contains(" 200");
            assertThat(names(renewed.leaf())).containsExactly(WWW);
            assertThat(renewed.leaf().getNotBefore()).isAfterOrEqualTo(www.leaf().getNotBefore());
            TlsProbe.Response apiRenewed = ServedCertificates.pollUntil(LIVE.client(), port, API,
                    r -> !r.serial().equals(api.serial()), Duration.ofSeconds(120));
            assertThat(names(apiRenewed.leaf())).containsExactly(API);
        }
    }

    private ConfigurableApplicationContext start() throws IOException {
        Path trusted = LIVE.tlsTrustFile(dir);
        List<String> properties = new ArrayList<>(List.of(
                "server.address=127.0.0.1",
                "server.port=0",
                "server.ssl.bundle=autocert4j",
                "autocert4j.issuers.pebble.acme.server=" + LIVE.server().directoryUrl(),
                "autocert4j.issuers.pebble.acme.email=ops@example.test",
                "autocert4j.issuers.pebble.acme.trusted-certificates=" + trusted,
                "autocert4j.http01.address=127.0.0.1",
                "autocert4j.http01.port=" + LIVE.server().httpPort(),
                "autocert4j.store.directory=" + dir.resolve("store"),
                "autocert4j.certificates.www.dns-names=" + WWW,
                "autocert4j.certificates.www.issuer=pebble",
                "autocert4j.certificates.api.dns-names=" + API,
                "autocert4j.certificates.api.issuer=pebble"));
        properties.addAll(sniProperties());
        return new SpringApplicationBuilder(TestApplication.class).properties(properties.toArray(String[]::new)).run();
    }

    private static String webServerFactories(ConfigurableApplicationContext context) {
        return context.getBeansOfType(WebServerFactory.class).values().stream()
                .map(factory -> factory.getClass().getSimpleName()).toList().toString();
    }

    private static List<Object> names(X509Certificate leaf) throws Exception {
        return leaf.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList();
    }
}
