package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.internal.Poll;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Background renewal for real: Pebble issues certificates valid for 9 seconds, so a managed
 * certificate comes due every 6 seconds, and an HTTPS client of a server that never restarts sees
 * each new serial.
 */
class RenewalIT {
    private static final Duration VALIDITY = Duration.ofSeconds(9);
    private static PebbleServer pebble;
    private static Http01Solver http01;

    @BeforeAll
    static void startPebble() throws Exception {
        pebble = PebbleServer.builder().certificateValidity(VALIDITY).start();
        http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build();
        http01.start();
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

    private static CertificateManager.Builder manager(Path dir, List<CertificateEvent> events) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(http01).store(FileCertificateStore.of(dir)).listener(events::add);
    }

    /** @return the serial the server presents, verified against Pebble's root for www.example.test */
    private static BigInteger handshake(int port) throws Exception {
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("pebble-root", pebble.rootCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(roots);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("www.example.test")));
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the name must match, as a browser checks
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void aManagedCertificateIsRenewedTwiceAndTheRunningServerPresentsEachNewOne(@TempDir Path dir) throws Exception {
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        Certificate spec = Certificate.builder("www").dnsNames("www.example.test")
                .issuerRef(IssuerRef.clusterIssuer("pebble")).build();
        ExecutorService acceptor = Executors.newSingleThreadExecutor();
        try (CertificateManager manager = manager(dir, events).build()) {
            manager.manage(spec);
            manager.start();
            SSLServerSocket server = (SSLServerSocket) manager.sslContext().getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor.submit(() -> {
                while (!server.isClosed()) {
                    try (SSLSocket s = (SSLSocket) server.accept()) {
                        s.startHandshake();
                    } catch (Exception e) {
                        // the next client
                    }
                }
            });
            try (server) {
                Set<BigInteger> seen = new LinkedHashSet<>();
                // A handshake a check: every 200 ms, not at the harness's pace.
                Poll.until(Duration.ofSeconds(90), Duration.ofMillis(200), () -> {
                    try {
                        seen.add(handshake(server.getLocalPort()));
                    } catch (javax.net.ssl.SSLException e) {
                        // no certificate yet, or the one presented expired a moment ago
                    } catch (Exception e) {
                        throw new IllegalStateException("the handshake failed: " + e, e);
                    }
                    return seen.size() >= 3;
                }, () -> "the client saw only these serials in 90 s: " + seen);
                assertThat(seen).as("serials the client saw, without a server restart").hasSize(3);
                assertThat(events).filteredOn(e -> e.type() == CertificateEvent.Type.RENEWED).hasSizeGreaterThanOrEqualTo(2);
                StoredCertificate current = FileCertificateStore.of(dir).load(spec).orElseThrow();
                assertThat(current.metadata().revision()).isGreaterThanOrEqualTo(3);
                assertThat(manager.status(spec).failedIssuanceAttempts()).isZero();
            }
        } finally {
            acceptor.shutdownNow();
        }
    }

    @Test
    void revocationReachesTheCa(@TempDir Path dir) throws Exception {
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        Certificate spec = Certificate.builder("revoked").dnsNames("revoked.example.test")
                .issuerRef(IssuerRef.clusterIssuer("pebble")).build();
        try (CertificateManager manager = manager(dir, events).build()) {
            StoredCertificate issued = manager.obtain(spec);

            manager.revoke(spec, RevocationReason.CESSATION_OF_OPERATION);

            assertThat(events).extracting(CertificateEvent::type).contains(CertificateEvent.Type.REVOKED);
            // Pebble now knows it as revoked: a second revocation is refused with alreadyRevoked.
            assertThatThrownBy(() -> manager.revoke(spec, RevocationReason.CESSATION_OF_OPERATION))
                    .isInstanceOf(AutocertException.class).hasMessageContaining("lready");
            assertThat(manager.store().load(spec).orElseThrow().leaf()).as("an unmanaged certificate is not re-issued by itself")
                    .isEqualTo(issued.leaf());
            assertThat(manager.store().load(spec).orElseThrow().metadata().isRevoked()).isTrue();
            assertThat(manager.obtain(spec).leaf()).as("obtain never returns the revoked certificate")
                    .isNotEqualTo(issued.leaf());
        }
    }
}
