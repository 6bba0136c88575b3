package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.store.Pem;
import dev.autocert4j.testing.PebbleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
    private static PebbleServer pebble;
    private static TlsProbe client;

    @BeforeAll
    static void startPebble() throws Exception {
        pebble = PebbleServer.builder().certificateValidity(VALIDITY).start();
        client = new TlsProbe(pebble.rootCertificate());
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
    }

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
            TlsProbe.Response www = client.get(port, WWW);
            assertThat(www.statusLine()).contains(" 200");
            assertThat(www.body()).isEqualTo("hello over HTTPS");
            assertThat(www.leaf().getIssuerX500Principal())
                    .isEqualTo(pebble.intermediateCertificate().getSubjectX500Principal());
            assertThat(names(www.leaf())).containsExactly(WWW);
            TlsProbe.Response api = client.get(port, API);
            assertThat(names(api.leaf())).as("the SNI name %s gets its own certificate", API).containsExactly(API);

            TlsProbe.Response renewed = poll(port, WWW, r -> !r.serial().equals(www.serial()), Duration.ofSeconds(120));
            assertThat(renewed.statusLine()).contains(" 200");
            assertThat(names(renewed.leaf())).containsExactly(WWW);
            assertThat(renewed.leaf().getNotBefore()).isAfterOrEqualTo(www.leaf().getNotBefore());
            TlsProbe.Response apiRenewed = poll(port, API, r -> !r.serial().equals(api.serial()), Duration.ofSeconds(120));
            assertThat(names(apiRenewed.leaf())).containsExactly(API);
        }
    }

    private ConfigurableApplicationContext start() throws IOException {
        Path trusted = dir.resolve("pebble-tls.pem");
        Files.writeString(trusted, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())));
        List<String> properties = new ArrayList<>(List.of(
                "server.address=127.0.0.1",
                "server.port=0",
                "server.ssl.bundle=autocert4j",
                "autocert4j.issuers.pebble.acme.server=" + pebble.directoryUrl(),
                "autocert4j.issuers.pebble.acme.email=ops@example.test",
                "autocert4j.issuers.pebble.acme.trusted-certificates=" + trusted,
                "autocert4j.http01.address=127.0.0.1",
                "autocert4j.http01.port=" + pebble.httpPort(),
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

    private static TlsProbe.Response poll(int port, String host, Predicate<TlsProbe.Response> wanted, Duration timeout)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                TlsProbe.Response response = client.get(port, host);
                if (wanted.test(response)) {
                    return response;
                }
            } catch (IOException e) {
                last = e; // the served certificate expired a moment before its renewal was served
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no wanted response for " + host + " within " + timeout, last);
    }
}
