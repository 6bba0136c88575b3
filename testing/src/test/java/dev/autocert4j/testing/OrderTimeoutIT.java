package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** {@code AcmeIssuer.orderTimeout} bounds the whole order against Pebble, not each authorization afresh. */
class OrderTimeoutIT {
    /** Each proof takes this long to become visible: shorter than the order timeout, but not twice. */
    private static final Duration VISIBLE_AFTER = Duration.ofMillis(1500);
    private static final Duration ORDER_TIMEOUT = Duration.ofMillis(2500);
    /** The responder answers Pebble this late, so no authorization is valid at the first poll. */
    private static final long ANSWER_DELAY_MILLIS = 500;

    @Test
    void theOrderTimeoutIsOneDeadlineForAllAuthorizationsNotAFreshOneForEach() throws Exception {
        try (PebbleServer pebble = PebbleServer.builder().start();
                SlowHttp01Solver solver = new SlowHttp01Solver(pebble.httpPort())) {
            AcmeIssuer issuer = AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                    .trustedCertificates(pebble.tlsTrustAnchor()).orderTimeout(ORDER_TIMEOUT).build();
            Certificate two = Certificate.builder("two").dnsNames("a.example.test", "b.example.test")
                    .issuerRef(IssuerRef.clusterIssuer("pebble")).build();
            try (CertificateManager manager = CertificateManager.builder().issuer(issuer).solver(solver)
                    .store(new InMemoryCertificateStore()).build()) {

                // The two proofs take 3 s to become visible, so the 2.5 s deadline has passed before
                // validation starts; a fresh 2.5 s per authorization would let both validate.
                assertThatThrownBy(() -> manager.obtain(two)).isInstanceOf(AutocertException.class)
                        .hasMessageContaining("waiting for validation of");
            }
        }
    }

    /** An HTTP-01 solver whose proofs become visible slowly and whose responder answers late. */
    private static final class SlowHttp01Solver implements Solver, AutoCloseable {
        private final Map<String, String> keyAuthorizations = new ConcurrentHashMap<>();
        private final ServerSocket server;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        SlowHttp01Solver(int port) throws Exception {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            threads.submit(() -> {
                while (!server.isClosed()) {
                    Socket socket = server.accept();
                    threads.submit(() -> answer(socket));
                }
                return null;
            });
        }

        private Void answer(Socket socket) throws Exception {
            try (socket) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                String[] requestLine = in.readLine().split(" ");
                while (!in.readLine().isEmpty()) {
                    // headers
                }
                Thread.sleep(ANSWER_DELAY_MILLIS); // the slow responder under test
                String token = requestLine[1].substring(requestLine[1].lastIndexOf('/') + 1);
                String body = keyAuthorizations.getOrDefault(token, "");
                OutputStream out = socket.getOutputStream();
                out.write(((body.isEmpty() ? "HTTP/1.1 404 Not Found" : "HTTP/1.1 200 OK") + "\r\nContent-Type: text/plain"
                        + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            return null;
        }

        @Override
        public ChallengeType challengeType() {
            return ChallengeType.HTTP_01;
        }

        @Override
        public boolean canSolve(Identifier identifier) {
            return identifier.type() == Identifier.Type.DNS;
        }

        @Override
        public Presentation present(ChallengeRequest challenge) {
            keyAuthorizations.put(challenge.token(), challenge.keyAuthorization());
            return new Presentation() {
                @Override
                public void awaitVisible(Instant deadline) throws InterruptedException {
                    Thread.sleep(VISIBLE_AFTER.toMillis()); // slow propagation is the behaviour under test
                }

                @Override
                public void close() {
                    keyAuthorizations.remove(challenge.token());
                }
            };
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
