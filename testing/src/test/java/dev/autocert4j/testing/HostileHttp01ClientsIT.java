package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.internal.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone HTTP-01 responder on a port that scanners found: 200 connections that send half a
 * request head and wait (each reopened after the responder closes it), and 1,000 junk requests,
 * while Pebble validates 20 names. A probe client asks for a presented token the whole time, as the
 * CA does, and measures how long each answer takes.
 */
class HostileHttp01ClientsIT {
    private static final int SLOW_CONNECTIONS = 200;
    private static final int JUNK_REQUESTS = 1_000;
    private static final int NAMES = 20;
    private static final String PROBE_TOKEN = "probe-token_0";
    private static final String PROBE_KEY_AUTHORIZATION = PROBE_TOKEN + ".probe-thumbprint";
    private static final String HALF_A_HEAD = "GET /.well-known/acme-challenge/" + PROBE_TOKEN + " HTTP/1.1\r\nHost: sl";

    private PebbleServer pebble;
    private Http01Solver http01;
    private final AtomicBoolean attacking = new AtomicBoolean(true);
    private final ExecutorService attackers = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        pebble = PebbleServer.builder().start();
        http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build();
        http01.start();
        http01.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("probe.example.test"), PROBE_TOKEN,
                PROBE_KEY_AUTHORIZATION));
    }

    @AfterEach
    void stop() throws Exception {
        attacking.set(false);
        attackers.shutdownNow();
        attackers.awaitTermination(30, TimeUnit.SECONDS);
        if (http01 != null) {
            http01.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void everyNameIsIssuedAndEveryChallengeRequestAnsweredWithinASecondUnderAttack() throws Exception {
        InetSocketAddress responder = http01.address().orElseThrow();
        AtomicInteger slowOpened = new AtomicInteger();
        Future<?> slow = attackers.submit(() -> keepSlowConnectionsOpen(responder, slowOpened));
        AtomicInteger junkSent = new AtomicInteger();
        List<Future<?>> junk = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int seed = i;
            junk.add(attackers.submit(() -> sendJunk(responder, JUNK_REQUESTS / 2, seed, junkSent)));
        }
        ConcurrentLinkedQueue<Long> probeMillis = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> probeFailures = new ConcurrentLinkedQueue<>();
        Future<?> probe = attackers.submit(() -> probe(responder, probeMillis, probeFailures));
        Poll.until(Duration.ofSeconds(60), () -> slowOpened.get() >= SLOW_CONNECTIONS || slow.isDone(),
                () -> "only " + slowOpened.get() + " of " + SLOW_CONNECTIONS + " slow connections opened in 60 s");

        List<StoredCertificate> issued = issueTwentyNames();

        for (Future<?> f : junk) {
            f.get(2, TimeUnit.MINUTES);
        }
        attacking.set(false);
        probe.get(30, TimeUnit.SECONDS);
        slow.get(30, TimeUnit.SECONDS);
        assertThat(issued).hasSize(NAMES);
        for (int i = 0; i < NAMES; i++) {
            assertThat(Chains.sans(issued.get(i).leaf())).containsExactly(name(i));
        }
        assertThat(junkSent).as("junk requests sent").hasValue(JUNK_REQUESTS);
        assertThat(slowOpened.get()).as("slow connections opened, reopened after each close").isGreaterThanOrEqualTo(SLOW_CONNECTIONS);
        assertThat(probeFailures).as("probe requests that failed").isEmpty();
        assertThat(probeMillis).as("probe answers").hasSizeGreaterThan(10);
        long slowest = probeMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("HostileHttp01ClientsIT: %d probe answers, slowest %d ms, median %d ms; %d slow connections opened%n",
                probeMillis.size(), slowest, probeMillis.stream().sorted().skip(probeMillis.size() / 2).findFirst().orElseThrow(),
                slowOpened.get());
        assertThat(slowest).as("slowest probe answer, ms").isLessThan(1_000);
    }

    private static String name(int i) {
        return "n" + i + ".hostile.example.test";
    }

    private List<StoredCertificate> issueTwentyNames() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).orderTimeout(Duration.ofMinutes(1)).build())
                .solver(http01).store(new InMemoryCertificateStore()).build()) {
            List<Future<StoredCertificate>> orders = new ArrayList<>();
            for (int i = 0; i < NAMES; i++) {
                Certificate spec = Certificate.builder("hostile-" + i).dnsNames(name(i))
                        .issuerRef(IssuerRef.clusterIssuer("pebble")).build();
                orders.add(pool.submit(() -> manager.obtain(spec)));
            }
            List<StoredCertificate> issued = new ArrayList<>();
            for (Future<StoredCertificate> order : orders) {
                issued.add(order.get(3, TimeUnit.MINUTES));
            }
            return issued;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Keeps {@link #SLOW_CONNECTIONS} connections open with half a head each, reopening any older than the responder's deadline. */
    private Void keepSlowConnectionsOpen(InetSocketAddress responder, AtomicInteger opened) throws Exception {
        Socket[] slots = new Socket[SLOW_CONNECTIONS];
        long[] openedAt = new long[SLOW_CONNECTIONS];
        try {
            while (attacking.get()) {
                for (int i = 0; i < slots.length && attacking.get(); i++) {
                    if (slots[i] == null || System.nanoTime() - openedAt[i] > TimeUnit.MILLISECONDS.toNanos(5_200)) {
                        if (slots[i] != null) {
                            slots[i].close();
                        }
                        slots[i] = connect(responder);
                        slots[i].getOutputStream().write(HALF_A_HEAD.getBytes(StandardCharsets.US_ASCII));
                        openedAt[i] = System.nanoTime();
                        opened.incrementAndGet();
                    }
                }
                Thread.sleep(20); // the attacker's own pace: a hostile client is what this test is about
            }
        } finally {
            for (Socket s : slots) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return null;
    }

    /** Sends junk of several kinds; reads the answer to those that have a complete head, drops the others at once. */
    private Void sendJunk(InetSocketAddress responder, int count, int seed, AtomicInteger sent) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            byte[] request = junk(random, i);
            try (Socket s = connect(responder)) {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                if (i % 6 < 4) {
                    readToEnd(s.getInputStream());
                }
            } catch (IOException e) {
                // a reset is a fair answer to junk
            }
            sent.incrementAndGet();
        }
        return null;
    }

    private static byte[] junk(Random random, int i) {
        String text = switch (i % 6) {
            case 0 -> "POST /.well-known/acme-challenge/" + PROBE_TOKEN + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                    + "x".repeat(1000);
            case 1 -> "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n\r\n";
            case 2 -> "GET /wp-login.php HTTP/1.1\r\nHost: x\r\n\r\n";
            case 3 -> "GET /.well-known/acme-challenge/guess" + i + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 4 -> "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003"; // a TLS ClientHello's start
            default -> null;
        };
        if (text != null) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        byte[] noise = new byte[1 + random.nextInt(4096)];
        random.nextBytes(noise);
        return noise;
    }

    /** Asks for the probe token every 50 ms, as the CA would, and records how long each answer took. */
    private Void probe(InetSocketAddress responder, ConcurrentLinkedQueue<Long> millis, ConcurrentLinkedQueue<String> failures)
            throws InterruptedException {
        String request = "GET /.well-known/acme-challenge/" + PROBE_TOKEN + " HTTP/1.1\r\nHost: probe.example.test\r\n"
                + "User-Agent: probe\r\nAccept: */*\r\n\r\n";
        while (attacking.get()) {
            long start = System.nanoTime();
            try (Socket s = connect(responder)) {
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String answer = readToEnd(s.getInputStream());
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                if (!answer.startsWith("HTTP/1.1 200 ") || !answer.endsWith(PROBE_KEY_AUTHORIZATION)) {
                    failures.add("unexpected answer: " + answer);
                }
            } catch (IOException e) {
                failures.add(e.toString() + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            }
            Thread.sleep(50); // the CA's pace between two probes: part of the simulated peer, not a wait
        }
        return null;
    }

    private static Socket connect(InetSocketAddress responder) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), responder.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) >= 0;) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }
}
