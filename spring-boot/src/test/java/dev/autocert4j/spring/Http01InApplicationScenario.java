package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.Pem;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.internal.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

/**
 * {@code autocert4j.http01.mode=application}: a web application that serves plain HTTP on the port Pebble
 * validates HTTP-01 on obtains its certificate through its own connector, with no responder port of the
 * starter's. A request for an unknown token gets 404 and other paths reach the application as before. Each
 * subclass runs on the class path of one server (see the module's POM).
 */
abstract class Http01InApplicationScenario {
    private static final String NAME = "www.example.test";

    @TempDir
    static Path dir;
    private static PebbleServer pebble;

    @BeforeAll
    static void startPebble() {
        pebble = PebbleServer.builder().start();
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void obtainsTheCertificateThroughTheApplicationsOwnConnectorAndLeavesOtherPathsAlone() throws Exception {
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        Path trusted = dir.resolve("pebble-tls.pem");
        Files.writeString(trusted, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                .listeners((ApplicationListener<PayloadApplicationEvent<?>>) e -> {
                    if (e.getPayload() instanceof CertificateEvent event) {
                        events.add(event);
                    }
                })
                .properties(
                        "server.address=127.0.0.1",
                        // the port Pebble validates HTTP-01 on, served by the application itself
                        "server.port=" + pebble.httpPort(),
                        "autocert4j.http01.mode=application",
                        "autocert4j.issuers.pebble.acme.server=" + pebble.directoryUrl(),
                        "autocert4j.issuers.pebble.acme.email=ops@example.test",
                        "autocert4j.issuers.pebble.acme.trusted-certificates=" + trusted,
                        "autocert4j.store.directory=" + dir.resolve("store"),
                        "autocert4j.certificates.www.dns-names=" + NAME,
                        "autocert4j.certificates.www.issuer=pebble")
                .run()) {
            assertThat(context.getBean(Http01Solver.class).address()).as("no responder port of the starter's").isEmpty();
            CertificateManager manager = context.getBean(CertificateManager.class);
            Certificate www = manager.managedCertificates().get(0);

            Poll.until(Duration.ofSeconds(90), () -> ready(manager, www),
                    () -> "no certificate through the application's connector; events " + events);
            X509Certificate leaf = manager.store().load(www).orElseThrow().leaf();
            assertThat(leaf.getIssuerX500Principal()).isEqualTo(pebble.intermediateCertificate().getSubjectX500Principal());
            assertThat(leaf.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly(NAME);
            assertThat(events).extracting(CertificateEvent::type).contains(CertificateEvent.Type.ISSUED);
            SslBundles bundles = context.getBean(SslBundles.class);
            Poll.until(Duration.ofSeconds(10), () -> bundles.getBundleNames().contains("autocert4j"),
                    () -> "the bundle of the first certificate was not registered once issued: " + bundles.getBundleNames());

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> unknown = get(http, Http01Solver.PATH_PREFIX + "unknown-token-0123456789");
            assertThat(unknown.statusCode()).isEqualTo(404);
            HttpResponse<String> hello = get(http, "/");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("hello over HTTPS");
            assertThat(get(http, "/.well-known/other").statusCode()).as("a path beside the challenges reaches the application")
                    .isEqualTo(404);
        }
    }

    private static boolean ready(CertificateManager manager, Certificate certificate) {
        try {
            return manager.status(certificate).isReady();
        } catch (AutocertException e) {
            return false;
        }
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pebble.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
