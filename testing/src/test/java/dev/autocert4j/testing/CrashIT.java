package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.CrashPoint;
import dev.autocert4j.testing.support.KnownSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process killed (SIGKILL) at each instant of a renewal over RFC 2136: the record's intent journalled
 * but the provider not called yet, the provider's create returned but its handle not journalled, the
 * handle journalled, the challenge triggered (and validated), the order finalised, and in the middle of
 * writing the store. The certificate stored before stays intact, and a new manager on the same store
 * removes what the dead one left, by itself before its first obtain, and renews.
 */
class CrashIT {
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

    private static CertificateManager manager(FileCertificateStore store) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(Dns01IT.solver(bind.address(), bind.tsigSecret()).build()).store(store).build();
    }

    /** Runs the child until it reaches the stage (for {@code STORE}: until it saved a few times), then kills it. */
    private static void runChildUntilKilled(String stage, String name, Path dir, Path storeDir) throws Exception {
        Path anchor = dir.resolve("pebble-tls.pem");
        Files.writeString(anchor, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())));
        ChildProcess child = ChildProcess.start("crash child at " + stage, List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), stage, name, storeDir.toString(), pebble.directoryUrl().toString(),
                anchor.toString(), Integer.toString(bind.port())),
                Map.of("AUTOCERT4J_TEST_TSIG", bind.tsigSecret()), dir, dir.resolve("child-" + stage + ".log"));
        if (stage.equals("STORE")) {
            // Once the ..data link has switched revisions a few times, the kill lands inside one save.
            Path data = storeDir.resolve("certificates").resolve("default").resolve(name).resolve("..data");
            CrashPoint.killDuringSaves(child, () -> revision(data), Duration.ofSeconds(60));
        } else {
            CrashPoint.killAt(child, stage, Duration.ofSeconds(60));
        }
    }

    /** The revision directory the store's link names now, or "" between two renames. */
    private static String revision(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> challengeRecords(String name) throws Exception {
        return DnsQuery.ask(bind.address(), "_acme-challenge." + name + ".example.test", DnsQuery.TYPE_TXT);
    }

    private static List<String> leftoversIn(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..tmp-")).toList();
        }
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"INTENT_WRITTEN", "CREATE_RETURNED", "HANDLE_CONFIRMED", "CHALLENGE_TRIGGERED", "ORDER_FINALISED", "STORE"})
    void aNewManagerCleansUpAfterAProcessKilledAt(String stage, @TempDir Path dir) throws Exception {
        String name = "crash-" + stage.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        Certificate spec = CrashChild.certificate(name);
        Path storeDir = dir.resolve("store");
        FileCertificateStore store = FileCertificateStore.of(storeDir);
        StoredCertificate before = manager(store).obtain(spec);

        runChildUntilKilled(stage, name, dir, storeDir);

        StoredCertificate afterCrash = FileCertificateStore.of(storeDir).load(spec).orElseThrow();
        assertThat(afterCrash.leaf()).as("the certificate stored before the crash").isEqualTo(before.leaf());
        assertThat(afterCrash.keyPair().getPublic()).isEqualTo(afterCrash.leaf().getPublicKey());
        if (!stage.equals("STORE")) {
            assertThat(challengeRecords(name)).as("the record the killed process left").hasSize(stage.equals("INTENT_WRITTEN") ? 0 : 1);
            assertThat(store.pendingCleanups()).as("the journal the killed process left").hasSize(1);
        }

        CertificateManager next = manager(FileCertificateStore.of(storeDir));
        next.obtain(spec); // the stored certificate is still good: this only cleans up, by itself, before it
        assertThat(challengeRecords(name)).as("TXT records left in DNS after the first obtain").isEmpty();
        assertThat(store.pendingCleanups()).as("pending cleanups after the first obtain").isEmpty();
        StoredCertificate renewed = next.renew(spec);

        assertThat(renewed.leaf().getSerialNumber()).isNotEqualTo(before.leaf().getSerialNumber());
        assertThat(FileCertificateStore.of(storeDir).load(spec).orElseThrow().leaf()).isEqualTo(renewed.leaf());
        assertThat(challengeRecords(name)).as("TXT records left in DNS").isEmpty();
        assertThat(store.pendingCleanups()).as("pending cleanups").isEmpty();
        Path certDir = store.certificateDirectory(spec);
        assertThat(leftoversIn(certDir)).as("half-written files in " + certDir).isEmpty();
        try (Stream<Path> revisions = Files.list(certDir)) {
            assertThat(revisions.filter(p -> p.getFileName().toString().startsWith("..rev-"))).as("revision directories").hasSize(1);
        }
    }
}
