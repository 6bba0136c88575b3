package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.BindServer;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.CrashPoint;
import dev.autocert4j.testing.support.KnownSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

    private static BindServer bind;
    private static PebbleServer pebble;
    private CloudflareEmulator api;

    @BeforeAll
    static void startPeers() {
        bind = BindServer.builder().zone("example.test").start();
        KnownSecrets.register(bind.tsigSecret());
        pebble = PebbleServer.builder().dnsServer(bind.address()).authzReuse(0).start();
    }

    @AfterAll
    static void stopPeers() {
        if (pebble != null) {
            pebble.close();
        }
        if (bind != null) {
            bind.close();
        }
    }

    @BeforeEach
    void startEmulator() throws Exception {
        api = new CloudflareEmulator(Rfc2136DnsProvider.builder().nameserver(bind.address())
                .tsigKey(BindServer.TSIG_KEY_NAME, BindServer.TSIG_ALGORITHM, bind.tsigSecret()).build())
                .zone("example.test").token(TOKEN);
    }

    @AfterEach
    void stopEmulator() {
        api.close();
    }

    private CertificateManager manager(Path storeDir) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(Dns01Solver.builder().provider(CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN).build())
                        .resolvers(bind.address()).nameserverPort(bind.port()).pollInterval(Duration.ofMillis(100)).build())
                .store(FileCertificateStore.of(storeDir)).build();
    }

    private void runChildUntilKilled(CrashPoint.Instant instant, String name, Path dir, Path storeDir) throws Exception {
        Path anchor = dir.resolve("pebble-tls.pem");
        Files.writeString(anchor, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())));
        ChildProcess child = ChildProcess.start("crash child at " + instant,
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                        CloudflareCrashChild.class.getName(), instant.name(), name, storeDir.toString(),
                        pebble.directoryUrl().toString(), anchor.toString(), api.baseUrl().toString(), Integer.toString(bind.port())),
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
