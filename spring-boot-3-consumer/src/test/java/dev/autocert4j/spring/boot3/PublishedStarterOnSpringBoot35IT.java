package dev.autocert4j.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.CertificateEvent;
import dev.autocert4j.store.Pem;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.internal.Poll;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

/**
 * The starter's jar, as this build packaged it for publishing (compiled against Spring Boot 4), in a Spring Boot
 * 3.5.7 web application on Tomcat 10.1 with the actuator, against Pebble issuing 60-second certificates: HTTPS from
 * the first request, the {@code autocert4j} health indicator on Spring Boot 3's actuator API, the gauges and
 * counters on Micrometer 1.15, Spring application events, and a renewal served by the running server.
 */
class PublishedStarterOnSpringBoot35IT {
    private static final Duration VALIDITY = Duration.ofSeconds(60);
    private static final String NAME = "www.example.test";

    @TempDir
    static Path dir;
    private static PebbleServer pebble;
    private static HttpsProbe client;

    @BeforeAll
    static void startPebble() throws Exception {
        pebble = PebbleServer.builder().certificateValidity(VALIDITY).start();
        client = new HttpsProbe(pebble.rootCertificate());
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void theClassPathIsThePublishedStarterJarOnSpringBoot35AndTomcat101() throws Exception {
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
        assertThat(ServerInfo.getServerNumber()).startsWith("10.1.");
        assertThat(starterJar()).as("the starter comes from its packaged jar, not from target/classes")
                .isRegularFile();
        assertThat(starterJar().getFileName().toString()).matches("autocert4j-spring-boot-starter-[^/]+\\.jar");
    }

    @Test
    void servesPebbleCertificatesReportsTheirHealthAndMetricsAndServesARenewalWithoutRestart() throws Exception {
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        int port;
        try (ConfigurableApplicationContext context = start(events)) {
            port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

            HttpsProbe.Response first = client.get(port, NAME, "/");
            assertThat(first.statusLine()).isEqualTo("HTTP/1.1 200 ");
            assertThat(first.body()).isEqualTo("hello over HTTPS");
            assertThat(first.leaf().getIssuerX500Principal())
                    .isEqualTo(pebble.intermediateCertificate().getSubjectX500Principal());

            Object indicator = context.getBean("autocert4jHealthIndicator");
            assertThat(indicator.getClass().getName()).isEqualTo("dev.autocert4j.spring.Boot3CertificateHealthIndicator");
            assertThat(codeSource(indicator.getClass())).as("the Spring Boot 3 indicator is in the starter's jar")
                    .isEqualTo(starterJar());
            assertHealthReports(port, first);
            assertThat(metric(client.get(port, NAME, "/actuator/prometheus").body(),
                    "certmanager_certificate_expiration_timestamp_seconds{"))
                    .isEqualTo(first.leaf().getNotAfter().toInstant().getEpochSecond());

            HttpsProbe.Response renewed = pollForNewSerial(port, first, Duration.ofSeconds(120));
            assertThat(renewed.leaf().getNotAfter()).isAfterOrEqualTo(first.leaf().getNotAfter());
            assertHealthReports(port, renewed);
            assertThat(events).extracting(CertificateEvent::type)
                    .as("certificate events reach the application as Spring events")
                    .contains(CertificateEvent.Type.ISSUED, CertificateEvent.Type.RENEWED);
            String scrape = client.get(port, NAME, "/actuator/prometheus").body();
            assertThat(metric(scrape, "certmanager_certificate_expiration_timestamp_seconds{"))
                    .isEqualTo(renewed.leaf().getNotAfter().toInstant().getEpochSecond());
            assertThat(metric(scrape, "autocert4j_certificate_issuances_total{"))
                    .as("the issuance and the renewal, counted").isGreaterThanOrEqualTo(2);
        }
        assertThat(accepts(pebble.httpPort())).as("the HTTP-01 responder closed with the context").isFalse();
        assertThat(accepts(port)).as("Tomcat stopped").isFalse();
    }

    private static void assertHealthReports(int port, HttpsProbe.Response served) throws Exception {
        HttpsProbe.Response health = client.get(port, NAME, "/actuator/health/autocert4j");
        assertThat(health.statusLine()).isEqualTo("HTTP/1.1 200 ");
        assertThat(health.body()).contains("\"status\":\"UP\"", "\"name\":\"www\"", "\"ready\":\"Ready\"",
                "\"notAfter\":\"" + served.leaf().getNotAfter().toInstant() + "\"");
    }

    /** The value of the series of certificate {@code www} whose line starts with {@code prefix}, as a whole number. */
    private static long metric(String scrape, String prefix) {
        String line = scrape.lines().filter(l -> l.startsWith(prefix) && l.contains("name=\"www\""))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "...} for www in\n" + scrape));
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static ConfigurableApplicationContext start(List<CertificateEvent> events) throws IOException {
        Path trusted = dir.resolve("pebble-tls.pem");
        Files.writeString(trusted, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())));
        return new SpringApplicationBuilder(Boot3Application.class)
                .listeners((ApplicationListener<PayloadApplicationEvent<?>>) e -> {
                    if (e.getPayload() instanceof CertificateEvent event) {
                        events.add(event);
                    }
                })
                .properties(
                        "server.address=127.0.0.1",
                        "server.port=0",
                        "server.ssl.bundle=autocert4j",
                        "autocert4j.issuers.pebble.acme.server=" + pebble.directoryUrl(),
                        "autocert4j.issuers.pebble.acme.email=ops@example.test",
                        "autocert4j.issuers.pebble.acme.trusted-certificates=" + trusted,
                        "autocert4j.http01.address=127.0.0.1",
                        "autocert4j.http01.port=" + pebble.httpPort(),
                        "autocert4j.store.directory=" + dir.resolve("store"),
                        "autocert4j.certificates.www.dns-names=" + NAME,
                        "management.endpoints.web.exposure.include=health,prometheus",
                        "management.endpoint.health.show-details=always")
                .run();
    }

    private static HttpsProbe.Response pollForNewSerial(int port, HttpsProbe.Response first, Duration timeout) {
        AtomicReference<HttpsProbe.Response> renewed = new AtomicReference<>();
        AtomicReference<Exception> last = new AtomicReference<>();
        try {
            Poll.until(timeout, () -> {
                try {
                    HttpsProbe.Response response = client.get(port, NAME, "/");
                    renewed.set(response);
                    return !response.leaf().getSerialNumber().equals(first.leaf().getSerialNumber());
                } catch (IOException e) {
                    last.set(e); // the served certificate expired a moment before its renewal was served
                    return false;
                } catch (GeneralSecurityException e) {
                    throw new AssertionError("the probe's TLS client cannot be set up", e);
                }
            }, () -> "no renewed certificate served within " + timeout);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage(), last.get());
        }
        return renewed.get();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path starterJar() throws URISyntaxException, ClassNotFoundException {
        return codeSource(Class.forName("dev.autocert4j.spring.Autocert4jAutoConfiguration"));
    }

    private static Path codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
