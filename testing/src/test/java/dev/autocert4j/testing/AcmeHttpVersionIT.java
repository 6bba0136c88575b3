package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How the ACME client talks to the CA, both for the client's CPU per certificate (README
 * "Performance"). It speaks HTTP/1.1: the JDK's HTTP/2 client was a quarter of the client's CPU at
 * concurrency 16. Pebble speaks HTTP/2 to clients that offer it in the TLS handshake (ALPN); the
 * directory is read here through a byte relay in front of Pebble that reads the protocols the
 * client's TLS ClientHello offers. And it handles each response where it arrives, without handing it
 * to the JDK HTTP client's worker threads (a context switch per step of every request).
 */
class AcmeHttpVersionIT {
    @Test
    void theAcmeClientOffersOnlyHttp11ToTheCaAndIssuesAsBefore() throws Exception {
        try (PebbleServer pebble = PebbleServer.builder().start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build();
                ClientHelloRelay relay = new ClientHelloRelay(pebble.directoryUrl().getPort())) {
            URI directory = URI.create("https://127.0.0.1:" + relay.port() + pebble.directoryUrl().getPath());
            CertificateManager manager = manager(pebble, directory, http01);

            manager.obtain(certificate("h1"));

            assertThat(relay.offers()).as("ALPN protocols of each TLS connection to the directory").isNotEmpty()
                    .allSatisfy(offered -> assertThat(offered).doesNotContain("h2"));
        }
    }

    @Test
    void concurrentIssuanceStartsNoHttpClientWorkerThreads() throws Exception {
        try (PebbleServer pebble = PebbleServer.builder().start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            CertificateManager manager = manager(pebble, pebble.directoryUrl(), http01);
            Set<String> workersBefore = httpClientWorkers();

            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<StoredCertificate>> issued = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    Certificate certificate = certificate("threads-" + i);
                    issued.add(pool.submit(() -> manager.obtain(certificate)));
                }
                for (Future<StoredCertificate> f : issued) {
                    assertThat(f.get().leaf().getSubjectAlternativeNames()).isNotEmpty();
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(httpClientWorkers()).as("HttpClient worker threads started while issuing")
                    .containsExactlyInAnyOrderElementsOf(workersBefore);
        }
    }

    private static CertificateManager manager(PebbleServer pebble, URI directory, Http01Solver http01) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(directory).trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(http01)
                .store(new InMemoryCertificateStore())
                .build();
    }

    private static Certificate certificate(String name) {
        return Certificate.builder(name).dnsNames(name + ".example.test").issuerRef(IssuerRef.clusterIssuer("pebble"))
                .privateKey(PrivateKeySpec.ecdsa(256)).build();
    }

    private static Set<String> httpClientWorkers() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.matches("HttpClient-\\d+-Worker-\\d+")).collect(Collectors.toSet());
    }

    /**
     * Forwards TCP connections to Pebble's ACME port byte for byte (TLS stays end to end) and reads
     * the ALPN extension of each connection's ClientHello on the way.
     */
    private static final class ClientHelloRelay implements AutoCloseable {
        private static final int ALPN = 16;

        private final ServerSocket server;
        private final int target;
        private final List<List<String>> offers = new CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        ClientHelloRelay(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.acceptor = new Thread(this::acceptLoop, "client-hello-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        List<List<String>> offers() {
            return List.copyOf(offers);
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(client);
                    sockets.add(upstream);
                    DataInputStream in = new DataInputStream(client.getInputStream());
                    byte[] header = in.readNBytes(5);
                    byte[] record = in.readNBytes(header.length == 5 ? ((header[3] & 0xff) << 8) | (header[4] & 0xff) : 0);
                    offers.add(alpn(record));
                    upstream.getOutputStream().write(header);
                    upstream.getOutputStream().write(record);
                    pump(in, upstream.getOutputStream());
                    pump(upstream.getInputStream(), client.getOutputStream());
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static void pump(InputStream from, OutputStream to) {
            Thread t = new Thread(() -> {
                try {
                    from.transferTo(to);
                } catch (IOException e) {
                    // one side closed: the connection is over
                }
            }, "client-hello-relay-pump");
            t.setDaemon(true);
            t.start();
        }

        /** The ALPN protocol names in a ClientHello handshake record (RFC 8446 §4.1.2, RFC 7301 §3.1). */
        private static List<String> alpn(byte[] record) {
            ByteBuffer b = ByteBuffer.wrap(record);
            b.position(4 + 2 + 32); // handshake header, legacy_version, random
            skip(b, b.get() & 0xff); // legacy_session_id
            skip(b, b.getShort() & 0xffff); // cipher_suites
            skip(b, b.get() & 0xff); // legacy_compression_methods
            int extensionsEnd = (b.getShort() & 0xffff) + b.position();
            List<String> names = new ArrayList<>();
            while (b.position() < extensionsEnd) {
                int type = b.getShort() & 0xffff;
                int length = b.getShort() & 0xffff;
                if (type != ALPN) {
                    skip(b, length);
                    continue;
                }
                int listEnd = (b.getShort() & 0xffff) + b.position();
                while (b.position() < listEnd) {
                    byte[] name = new byte[b.get() & 0xff];
                    b.get(name);
                    names.add(new String(name, StandardCharsets.US_ASCII));
                }
            }
            return names;
        }

        private static void skip(ByteBuffer b, int n) {
            b.position(b.position() + n);
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
