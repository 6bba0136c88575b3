package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

/**
 * The starter in a real Spring Boot web application on embedded Tomcat, against Pebble issuing 60-second
 * certificates: {@code server.ssl.bundle=autocert4j} and a few {@code autocert4j.*} properties are all the
 * configuration there is. The actuator's {@code /actuator/health} and {@code /actuator/prometheus}, on the same
 * connector, report the served certificate.
 */
class SpringBootTomcatIT {
    private static final Duration VALIDITY = Duration.ofSeconds(60);
    private static final String NAME = "www.example.test";

    @TempDir
    static Path dir;
    @RegisterExtension
    static final LivePebble LIVE = LivePebble.issuing(VALIDITY);

    private static ConfigurableApplicationContext start(List<CertificateEvent> events) throws IOException {
        Path trusted = LIVE.tlsTrustFile(dir);
        return new SpringApplicationBuilder(TestApplication.class)
                .listeners((ApplicationListener<PayloadApplicationEvent<?>>) e -> {
                    if (e.getPayload() instanceof CertificateEvent event) {
                        events.add(event);
                    }
                })
                .properties(
                        "server.address=127.0.0.1",
                        "server.port=0",
                        "server.ssl.bundle=autocert4j",
                        "autocert4j.issuers.pebble.acme.server=" + LIVE.server().directoryUrl(),
                        "autocert4j.issuers.pebble.acme.email=ops@example.test",
                        // relaxed binding: camel case works as well as kebab case
                        "autocert4j.issuers.pebble.acme.trustedCertificates=" + trusted,
                        "autocert4j.http01.address=127.0.0.1",
                        "autocert4j.http01.port=" + LIVE.server().httpPort(),
                        "autocert4j.store.directory=" + dir.resolve("store"),
                        "autocert4j.certificates.www.dns-names=" + NAME,
                        "autocert4j.certificates.www.issuer=pebble",
                        "management.endpoints.web.exposure.include=health,prometheus",
                        "management.endpoint.health.show-details=always")
                .run();
    }

    @Test
    void servesThePebbleCertificateFromTheFirstRequestAndEachRenewalWithoutRestart() throws Exception {
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        int port;
        try (ConfigurableApplicationContext context = start(events)) {
            port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

            // No retry: the first certificate was obtained before Tomcat started serving.
            TlsProbe.Response first = LIVE.client().get(port, NAME);
            assertThat(first.statusLine()).isEqualTo("HTTP/1.1 200 ");
            assertThat(first.body()).isEqualTo("hello over HTTPS");
            assertThat(first.leaf().getIssuerX500Principal())
                    .isEqualTo(LIVE.server().intermediateCertificate().getSubjectX500Principal());
            assertThat(first.leaf().getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly(NAME);

            // The actuator on the same HTTPS connector reports the certificate that the server serves.
            assertThat(LIVE.client().get(port, NAME, "/actuator/health").body()).contains("\"autocert4j\":{");
            TlsProbe.Response health = LIVE.client().get(port, NAME, "/actuator/health/autocert4j");
            assertThat(health.statusLine()).isEqualTo("HTTP/1.1 200 ");
            assertThat(health.body()).contains("\"status\":\"UP\"", "\"name\":\"www\"",
                    "\"notAfter\":\"" + first.leaf().getNotAfter().toInstant() + "\"", "\"ready\":\"Ready\"");
            assertThat(expirationGauge(port)).isEqualTo(first.leaf().getNotAfter().toInstant().getEpochSecond());

            TlsProbe.Response renewed = ServedCertificates.pollUntil(LIVE.client(), port, NAME,
                    r -> !r.serial().equals(first.serial()), Duration.ofSeconds(120));
            assertThat(renewed.statusLine()).isEqualTo("HTTP/1.1 200 ");
            assertThat(renewed.leaf().getNotBefore()).isAfterOrEqualTo(first.leaf().getNotBefore());
            assertThat(expirationGauge(port)).as("the gauge follows the renewal")
                    .isEqualTo(renewed.leaf().getNotAfter().toInstant().getEpochSecond());
            assertThat(events).extracting(CertificateEvent::type)
                    .as("renewals reach the application as Spring events").contains(CertificateEvent.Type.RENEWED);
            assertThat(context.getBean(CertificateManager.class).managedCertificates()).hasSize(1);
        }
        assertThat(accepts(LIVE.server().httpPort())).as("the HTTP-01 responder closed with the context").isFalse();
        assertThat(accepts(port)).as("Tomcat stopped").isFalse();
    }

    /** The expiry that {@code /actuator/prometheus} reports for the certificate {@code www}, in epoch seconds. */
    private static long expirationGauge(int port) throws Exception {
        TlsProbe.Response scrape = LIVE.client().get(port, NAME, "/actuator/prometheus");
        assertThat(scrape.statusLine()).isEqualTo("HTTP/1.1 200 ");
        String line = scrape.body().lines()
                .filter(l -> l.startsWith("certmanager_certificate_expiration_timestamp_seconds{") && l.contains("name=\"www\""))
                .findFirst().orElseThrow(() -> new AssertionError("no expiration gauge for www in\n" + scrape.body()));
        assertThat(scrape.body()).contains("certmanager_certificate_ready_status{condition=\"True\"");
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
