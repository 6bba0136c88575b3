package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateListener;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.internal.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code autocert4j.startup} on embedded Tomcat against Pebble. With {@code placeholder} the server starts before
 * the first certificate exists and serves a self-signed placeholder, then the real certificate without a restart;
 * a first issuance that fails does not fail start-up. The test holds the certificate's lock in the shared file
 * store (as another replica ordering it would), so the first handshake meets the placeholder whatever the timing.
 * With {@code wait} the first handshake already gets the real certificate. In both, the HTTP-01 responder
 * accepts connections when the first order is created.
 */
class StartupModesIT {
    private static final String NAME = "www.example.test";
    /** The starter's certificate {@code www}, in the default namespace. */
    private static final String ID = "default/www";

    @TempDir
    static Path dir;
    @RegisterExtension
    static final LivePebble LIVE = LivePebble.withDefaultValidity();

    /** Tells, at the moment the first ACME order exists, whether the HTTP-01 responder accepts connections. */
    @Configuration(proxyBeanMethods = false)
    static class ResponderAtFirstOrder {
        /** Completed at the first order of the application started last. */
        static volatile CompletableFuture<Boolean> responderUp = new CompletableFuture<>();

        @Bean
        CertificateListener responderProbe() {
            CompletableFuture<Boolean> result = new CompletableFuture<>();
            responderUp = result;
            return event -> {
                if (event.type() == CertificateEvent.Type.ORDER_CREATED) {
                    result.complete(accepts(LIVE.server().httpPort()));
                }
            };
        }
    }

    private static ConfigurableApplicationContext start(Path store, String acmeServer, int http01Port,
            List<CertificateEvent> events) throws IOException {
        return start("placeholder", store, acmeServer, http01Port, events);
    }

    private static ConfigurableApplicationContext start(String startup, Path store, String acmeServer, int http01Port,
            List<CertificateEvent> events) throws IOException {
        return start(startup, store, acmeServer, http01Port, events, NAME);
    }

    private static ConfigurableApplicationContext start(String startup, Path store, String acmeServer, int http01Port,
            List<CertificateEvent> events, String dnsNames) throws IOException {
        Path trusted = LIVE.tlsTrustFile(dir);
        return new SpringApplicationBuilder(TestApplication.class, ResponderAtFirstOrder.class)
                .listeners((ApplicationListener<PayloadApplicationEvent<?>>) e -> {
                    if (e.getPayload() instanceof CertificateEvent event) {
                        events.add(event);
                    }
                })
                .properties(
                        "server.address=127.0.0.1",
                        "server.port=0",
                        "server.ssl.bundle=autocert4j",
                        "autocert4j.startup=" + startup,
                        "autocert4j.issuers.pebble.acme.server=" + acmeServer,
                        "autocert4j.issuers.pebble.acme.trusted-certificates=" + trusted,
                        "autocert4j.http01.address=127.0.0.1",
                        "autocert4j.http01.port=" + http01Port,
                        "autocert4j.store.directory=" + store,
                        "autocert4j.certificates.www.dns-names=" + dnsNames)
                .run();
    }

    @Test
    void servesAPlaceholderAtOnceAndThePebbleCertificateFromTheNextHandshakeWithoutRestart() throws Exception {
        Path store = dir.resolve("store");
        LockProvider locks = FileCertificateStore.of(store).defaultLockProvider();
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        // The engine's lock for ordering a certificate: held here, the background issuance waits for it.
        LockProvider.Lock held = locks.acquire("certificate/" + ID, Duration.ofSeconds(10));
        try (ConfigurableApplicationContext context = start(store, LIVE.server().directoryUrl().toString(), LIVE.server().httpPort(),
                events)) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

            X509Certificate[] placeholder = TlsProbe.presentedChain(port, NAME);
            assertThat(placeholder).hasSize(1);
            X509Certificate leaf = placeholder[0];
            assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=autocert4j placeholder for www");
            assertThat(leaf.getIssuerX500Principal()).as("self-signed").isEqualTo(leaf.getSubjectX500Principal());
            leaf.verify(leaf.getPublicKey());
            assertThat(leaf.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly(NAME);
            assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                    .isLessThanOrEqualTo(Duration.ofDays(1).plusMinutes(1));
            assertThatThrownBy(() -> LIVE.client().get(port, NAME)).as("a client trusting Pebble rejects the placeholder")
                    .isInstanceOf(SSLException.class);
            CertificateManager manager = context.getBean(CertificateManager.class);
            Certificate www = manager.managedCertificates().get(0);
            assertThat(manager.store().load(www)).as("the placeholder is never stored").isEmpty();
            assertThat(HealthReading.of(context.getBean("autocert4jHealthIndicator")).status()).isEqualTo("UNKNOWN");

            held.close();
            TlsProbe.Response real = ServedCertificates.pollUntil(LIVE.client(), port, NAME,
                    trusted -> true, Duration.ofSeconds(60));
            assertThat(real.statusLine()).isEqualTo("HTTP/1.1 200 ");
            assertThat(real.body()).isEqualTo("hello over HTTPS");
            assertThat(real.leaf().getIssuerX500Principal())
                    .isEqualTo(LIVE.server().intermediateCertificate().getSubjectX500Principal());
            assertThat(real.serial()).isEqualTo(manager.store().load(www).orElseThrow().leaf().getSerialNumber());
            assertThat(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")))
                    .as("the same server, not restarted").isEqualTo(port);
            assertThat(events).extracting(CertificateEvent::type).contains(CertificateEvent.Type.ISSUED);
            Poll.until(Duration.ofSeconds(10),
                    () -> HealthReading.of(context.getBean("autocert4jHealthIndicator")).status().equals("UP"),
                    () -> "health not UP after the issuance");
        } finally {
            held.close();
        }
        assertThat(ResponderAtFirstOrder.responderUp.get(0, TimeUnit.SECONDS))
                .as("the HTTP-01 responder accepted connections when the first order was created").isTrue();
    }

    @Test
    void aStoredCertificateIssuedForFewerNamesIsServedInsteadOfThePlaceholderUntilTheNewOneIsIssued() throws Exception {
        Path store = dir.resolve("stale");
        BigInteger before;
        try (ConfigurableApplicationContext first = start("wait", store, LIVE.server().directoryUrl().toString(),
                LIVE.server().httpPort(), new CopyOnWriteArrayList<>())) {
            before = LIVE.client().get(Integer.parseInt(first.getEnvironment().getProperty("local.server.port")), NAME).serial();
        }
        LockProvider.Lock held = FileCertificateStore.of(store).defaultLockProvider()
                .acquire("certificate/" + ID, Duration.ofSeconds(10));
        try (ConfigurableApplicationContext context = start("placeholder", store, LIVE.server().directoryUrl().toString(),
                LIVE.server().httpPort(), new CopyOnWriteArrayList<>(), NAME + ",api.example.test")) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

            assertThat(LIVE.client().get(port, NAME).serial()).as("the stored certificate, trusted, not the placeholder")
                    .isEqualTo(before);

            held.close();
            TlsProbe.Response renewed = ServedCertificates.pollUntil(LIVE.client(), port, NAME,
                    r -> !r.serial().equals(before), Duration.ofSeconds(60));
            assertThat(renewed.leaf().getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
                    .containsExactlyInAnyOrder(NAME, "api.example.test");
        } finally {
            held.close();
        }
    }

    @Test
    void waitObtainsTheCertificateBeforeTheServerStartsWithTheResponderUpAtTheFirstOrder() throws Exception {
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        try (ConfigurableApplicationContext context = start("wait", dir.resolve("waiting"),
                LIVE.server().directoryUrl().toString(), LIVE.server().httpPort(), events)) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            // No retry: the first handshake already gets Pebble's certificate.
            TlsProbe.Response first = LIVE.client().get(port, NAME);
            assertThat(first.statusLine()).isEqualTo("HTTP/1.1 200 ");
            assertThat(first.leaf().getIssuerX500Principal())
                    .isEqualTo(LIVE.server().intermediateCertificate().getSubjectX500Principal());
        }
        assertThat(ResponderAtFirstOrder.responderUp.get(0, TimeUnit.SECONDS))
                .as("the HTTP-01 responder accepted connections when the first order was created").isTrue();
    }

    @Test
    void aFailedFirstIssuanceDoesNotFailStartUpAndIsReportedAndRetriedWithBackoff() throws Exception {
        int deadCa = freePort();
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        // slf4j-simple writes to the file the build names (see the parent POM), else to System.err
        String logFile = System.getProperty("org.slf4j.simpleLogger.logFile", "System.err");
        long logStart = logFile.startsWith("System.") ? 0 : Files.size(Path.of(logFile));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (ConfigurableApplicationContext context = start(dir.resolve("failing"),
                "https://127.0.0.1:" + deadCa + "/dir", freePort(), events)) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            Poll.until(Duration.ofSeconds(30),
                    () -> events.stream().anyMatch(e -> e.type() == CertificateEvent.Type.FAILED),
                    () -> "no Failed event within 30 s: " + events);

            assertThat(context.isRunning()).isTrue();
            X509Certificate placeholder = TlsProbe.presentedChain(port, NAME)[0];
            assertThat(placeholder.getSubjectX500Principal().getName()).isEqualTo("CN=autocert4j placeholder for www");
            CertificateManager manager = context.getBean(CertificateManager.class);
            Certificate www = manager.managedCertificates().get(0);
            Poll.until(Duration.ofSeconds(10), () -> status(manager, www).failedIssuanceAttempts() == 1,
                    () -> "the failed attempt was not recorded: " + status(manager, www));
            assertThat(status(manager, www).nextAttempt()).as("the retry follows the backoff (1 hour first)")
                    .hasValueSatisfying(next -> assertThat(next).isAfter(Instant.now().plus(Duration.ofMinutes(30))));
            assertThat(HealthReading.of(context.getBean("autocert4jHealthIndicator")).status()).isEqualTo("DOWN");
        } finally {
            System.setErr(stderr);
            stderr.print(log.toString(StandardCharsets.UTF_8));
        }
        String written = logFile.startsWith("System.") ? log.toString(StandardCharsets.UTF_8)
                : tail(Files.readAllBytes(Path.of(logFile)), logStart);
        assertThat(written.lines()).anyMatch(line -> line.contains("WARN")
                && line.contains("Certificate default/www is not issued yet")
                && line.contains("serves the self-signed placeholder until a retry succeeds"));
    }

    private static CertificateStatus status(CertificateManager manager, Certificate certificate) {
        try {
            return manager.status(certificate);
        } catch (StoreException e) {
            throw new AssertionError(e);
        }
    }

    private static String tail(byte[] bytes, long from) {
        return new String(bytes, (int) from, bytes.length - (int) from, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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
