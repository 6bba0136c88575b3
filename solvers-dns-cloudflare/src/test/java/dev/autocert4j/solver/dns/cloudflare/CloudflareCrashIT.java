package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.dns.Dns01Solver;
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
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process obtaining a certificate through the Cloudflare emulator (publishing into BIND, validated by Pebble)
 * is killed with SIGKILL at each instant of the order; a new manager on the same store leaves no record at
 * Cloudflare and obtains the certificate. The instant that matters most is {@code CREATE_RETURNED}: the record
 * exists, only its intent is in the journal, and it is found again by name and value.
 */
class CloudflareCrashIT {
    private static final String TOKEN = KnownSecrets.register("tok-crash-abcdef1234567890");

    private CloudflareEmulator api;

    @RegisterExtension
    static final PebbleOverBind PEERS = PebbleOverBind.withZones(b -> b.zone("example.test"));

    @BeforeAll
    static void registerTsigSecret() {
        KnownSecrets.register(PEERS.bind().tsigSecret());
    }

    @BeforeEach
    void startEmulator() throws Exception {
        api = PEERS.cloudflareIntoBind()
                .zone("example.test").token(TOKEN);
    }

    @AfterEach
    void stopEmulator() {
        api.close();
    }

    private CertificateManager manager(Path storeDir) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(PEERS.pebble().directoryUrl()).trustedCertificates(PEERS.pebble().tlsTrustAnchor()).build())
                .solver(Dns01Solver.builder().provider(CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN).build())
                        .resolvers(PEERS.bind().address()).nameserverPort(PEERS.bind().port()).pollInterval(Duration.ofMillis(100)).build())
                .store(FileCertificateStore.of(storeDir)).build();
    }

    private void runChildUntilKilled(CrashPoint.Instant instant, String name, Path dir, Path storeDir) throws Exception {
        Path anchor = dir.resolve("pebble-tls.pem");
        Files.writeString(anchor, Pem.encodeChain(List.of(PEERS.pebble().tlsTrustAnchor())));
        ChildProcess child = ChildProcess.start("crash child at " + instant,
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                        CloudflareCrashChild.class.getName(), instant.name(), name, storeDir.toString(),
                        PEERS.pebble().directoryUrl().toString(), anchor.toString(), api.baseUrl().toString(), Integer.toString(PEERS.bind().port())),
                Map.of("AUTOCERT4J_TEST_CF_TOKEN", TOKEN), dir, dir.resolve("child.log"));
        CrashPoint.killAt(child, instant.name(), Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "killed at {0}")
    @EnumSource(CrashPoint.Instant.class)
    void aNewManagerLeavesNoRecordBehindAndObtainsTheCertificate(CrashPoint.Instant instant, @TempDir Path dir) throws Exception {
        String name = "cf-" + instant.name().toLowerCase(Locale.ROOT).replace('_', '-');
        Certificate spec = CloudflareCrashChild.certificate(name);
        Path storeDir = dir.resolve("store");

        runChildUntilKilled(instant, name, dir, storeDir);

        assertThat(api.txtRecordCount()).as("records the killed process left at Cloudflare")
                .isEqualTo(instant == CrashPoint.Instant.INTENT_WRITTEN ? 0 : 1);
        assertThat(FileCertificateStore.of(storeDir).pendingCleanups()).as("the journal the killed process left").hasSize(1);

        StoredCertificate issued = manager(storeDir).obtain(spec);

        assertThat(issued.leaf().getSubjectX500Principal().getName()).isNotEmpty();
        assertThat(FileCertificateStore.of(storeDir).load(spec)).isPresent();
        assertThat(api.txtRecordCount()).as("records left at Cloudflare").isZero();
        assertThat(FileCertificateStore.of(storeDir).pendingCleanups()).as("pending cleanups").isEmpty();
    }
}
