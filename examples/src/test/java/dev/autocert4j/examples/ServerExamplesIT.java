package dev.autocert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.testing.PebbleServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each example server against a real ACME CA: Pebble issues certificates valid for 9 seconds, the
 * manager renews them in the background after about 6, and an HTTPS client that verifies
 * {@code www.example.test} against Pebble's root sees a new serial from the same running server.
 */
class ServerExamplesIT {
    private static final Duration VALIDITY = Duration.ofSeconds(9);
    private static final String NAME = "www.example.test";
    private static PebbleServer pebble;
    private static Http01Solver http01;
    private static HttpsProbe client;

    @BeforeAll
    static void startPebble() throws Exception {
        pebble = PebbleServer.builder().certificateValidity(VALIDITY).start();
        http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build();
        http01.start();
        client = new HttpsProbe(pebble.rootCertificate());
    }

    @AfterAll
    static void stopPebble() {
        if (http01 != null) {
            http01.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void servesEachRenewedCertificateWithoutRestart(ServerKind kind) throws Exception {
        Certificate www = Certificate.builder("www").dnsNames(NAME).issuerRef(IssuerRef.clusterIssuer("pebble")).build();
        try (CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(http01).store(new InMemoryCertificateStore()).build()) {
            manager.manage(www);
            manager.start();
            InetSocketAddress address;
            try (ExampleServer server = kind.start(manager, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                address = server.address();

                HttpsProbe.Response first = poll(address, r -> true, Duration.ofSeconds(30));
                assertThat(first.leaf().getIssuerX500Principal()).isEqualTo(pebble.intermediateCertificate().getSubjectX500Principal());
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.body()).isEqualTo("Hello over HTTPS from " + kind.greetingName
                        + "; certificate serial " + first.serialHex() + "\n");

                HttpsProbe.Response renewed = poll(address, r -> !r.serial().equals(first.serial()), Duration.ofSeconds(60));
                assertThat(renewed.status()).isEqualTo(200);
                assertThat(renewed.body()).contains("certificate serial " + renewed.serialHex());
                assertThat(renewed.leaf().getNotBefore()).isAfterOrEqualTo(first.leaf().getNotBefore());
                assertThat(manager.status(www).revision()).isGreaterThanOrEqualTo(2);
            }
            assertThat(ServerKind.accepts(address)).as("the server stopped listening when closed").isFalse();
        }
    }

    /** Asks until a response passes {@code wanted}; handshakes fail while no certificate is issued yet. */
    private static HttpsProbe.Response poll(InetSocketAddress address, Predicate<HttpsProbe.Response> wanted,
            Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpsProbe.Response response = client.get(address, NAME);
                if (wanted.test(response)) {
                    return response;
                }
            } catch (IOException e) {
                last = e; // no certificate yet, or the one presented expired a moment ago
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no wanted response from " + address + " within " + timeout, last);
    }
}
