package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.store.Pem;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.support.KnownSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs ("replicas" of one application, see {@link SharedStoreChild}) share one
 * {@code FileCertificateStore} directory and, released at the same moment, each obtain the same
 * four certificates from one Pebble over DNS-01: exactly one order per certificate, and every
 * replica returns the same certificate. Across processes no in-JVM lock can help: only the store's
 * file locks (its {@code defaultLockProvider()}) keep the replicas from ordering each certificate
 * three times.
 */
class MultiProcessSharedStoreIT {
    private static final int REPLICAS = 3;
    private static final List<String> NAMES = IntStream.range(0, 4).mapToObj(i -> "shared-" + i).toList();

    private static BindServer bind;
    private static PebbleServer pebble;

    @BeforeAll
    static void start() {
        bind = BindServer.builder().zone("example.test").start();
        KnownSecrets.register(bind.tsigSecret());
        pebble = PebbleServer.builder().dnsServer(bind.address()).authzReuse(0).start();
    }

    @AfterAll
    static void stop() {
        if (pebble != null) {
            pebble.close();
        }
        if (bind != null) {
            bind.close();
        }
    }

    @Test
    void threeProcessesOnOneStoreDirectoryPlaceExactlyOneOrderPerCertificate(@TempDir Path dir) throws Exception {
        Path storeDir = dir.resolve("store");
        Path anchor = dir.resolve("pebble-tls.pem");
        Files.writeString(anchor, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())));
        Path go = dir.resolve("go");
        int ordersBefore = pebble.orderCount();

        List<ChildProcess> children = new ArrayList<>();
        try {
            for (int r = 0; r < REPLICAS; r++) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), SharedStoreChild.class.getName(),
                        storeDir.toString(), pebble.directoryUrl().toString(), anchor.toString(), Integer.toString(bind.port()),
                        go.toString()));
                command.addAll(NAMES);
                children.add(ChildProcess.start("replica-" + r, command, Map.of("AUTOCERT4J_TEST_TSIG", bind.tsigSecret()),
                        dir, dir.resolve("replica-" + r + ".log")));
            }
            for (ChildProcess child : children) {
                child.awaitReady(Duration.ofSeconds(60), () -> child.log().contains("READY"));
            }
            Files.createFile(go);
            for (ChildProcess child : children) {
                Poll.until(Duration.ofMinutes(3), () -> !child.isAlive(),
                        () -> child.name() + " did not finish within 3 minutes; its log ends with:\n" + child.logTail(20));
                assertThat(child.exitCode()).as("exit code of %s; its log:%n%s", child.name(), child.log()).isZero();
            }
        } finally {
            children.forEach(ChildProcess::stop);
        }

        List<String> ordered = new ArrayList<>();
        Map<String, List<String>> serials = new HashMap<>();
        for (ChildProcess child : children) {
            for (String line : child.log().split("\n")) {
                String[] words = line.strip().split(" ");
                if (words[0].equals("ORDER_CREATED")) {
                    ordered.add(words[1]);
                } else if (words[0].equals("OBTAINED")) {
                    serials.computeIfAbsent(words[1], k -> new ArrayList<>()).add(words[2]);
                }
            }
        }
        assertThat(pebble.orderCount() - ordersBefore).as("orders at Pebble").isEqualTo(NAMES.size());
        assertThat(ordered).as("OrderCreated events of all replicas")
                .containsExactlyInAnyOrderElementsOf(NAMES.stream().map(n -> "default/" + n).toList());
        FileCertificateStore store = FileCertificateStore.of(storeDir);
        for (String name : NAMES) {
            String storedSerial = store.load(SharedStoreChild.certificate(name)).orElseThrow().leaf().getSerialNumber().toString(16);
            assertThat(serials.get(name)).as("serials the replicas returned for %s", name)
                    .hasSize(REPLICAS).containsOnly(storedSerial);
        }
        assertThat(pebble.accountCount()).as("one ACME account for all replicas").isEqualTo(1);
    }
}
