package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.CnameStrategy;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.DnsProviders;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.support.KnownSecrets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNS-01 end to end: Dns01Solver → RFC 2136 → BIND → Pebble's VA. */
class Dns01IT {
    private static BindServer bind;
    private static PebbleServer pebble;

    private RecordingDnsProvider provider;

    @BeforeAll
    static void start() {
        bind = BindServer.builder()
                .zone("example.test", "_acme-challenge.app CNAME _acme-challenge.app.delegated.test.")
                .zone("delegated.test")
                // ns1.multi.test has a second address where nothing answers
                .zone("multi.test", "ns1 IN A 127.0.0.2")
                .start();
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

    @AfterEach
    void noRecordIsLeftBehind() throws Exception {
        if (provider != null) {
            provider.close();
            assertThat(provider.liveRecords()).as("TXT records the provider still holds").isZero();
            for (var record : provider.created) {
                assertThat(DnsQuery.ask(bind.address(), record.fqdn(), DnsQuery.TYPE_TXT))
                        .as("TXT at " + record.fqdn() + " after the test").doesNotContain(record.value());
            }
        }
    }

    static DnsProvider rfc2136(InetSocketAddress server, String secret) {
        return Rfc2136DnsProvider.builder().nameserver(server)
                .tsigKey(BindServer.TSIG_KEY_NAME, BindServer.TSIG_ALGORITHM, secret).build();
    }

    /** The solver of a process that shares BIND with this test, as the child JVM builds it. */
    static Dns01Solver.Builder solver(InetSocketAddress server, String secret) {
        return Dns01Solver.builder().provider(rfc2136(server, secret)).resolvers(server).nameserverPort(server.getPort());
    }

    private Dns01Solver.Builder solver(Duration publishDelay) {
        provider = new RecordingDnsProvider(rfc2136(bind.address(), bind.tsigSecret()), publishDelay);
        return Dns01Solver.builder().provider(provider).resolvers(bind.address()).nameserverPort(bind.port())
                .pollInterval(Duration.ofMillis(100));
    }

    private static CertificateManager manager(Dns01Solver solver) {
        return manager(solver, new InMemoryCertificateStore());
    }

    private static CertificateManager manager(Dns01Solver solver, CertificateStore store) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(solver).store(store).build();
    }

    private static Certificate.Builder cert(String name) {
        return Certificate.builder(name).issuerRef(IssuerRef.clusterIssuer("pebble"));
    }

    @Test
    void issuesACertificateOverRfc2136AndRemovesTheRecordAfterwards() throws Exception {
        StoredCertificate issued = manager(solver(null).build()).obtain(cert("www").dnsNames("www.example.test").build());

        Chains.assertChainsUpTo(issued.chain(), pebble.rootCertificate());
        assertThat(Chains.sans(issued.leaf())).containsExactly("www.example.test");
        assertThat(provider.created).singleElement().satisfies(r -> {
            assertThat(r.fqdn()).isEqualTo("_acme-challenge.www.example.test");
            assertThat(r.zone()).isEqualTo("example.test");
        });
        assertThat(DnsQuery.ask(bind.address(), "_acme-challenge.www.example.test", DnsQuery.TYPE_TXT)).isEmpty();
    }

    @Test
    void issuesAWildcardTogetherWithItsBaseName() throws Exception {
        StoredCertificate issued = manager(solver(null).build())
                .obtain(cert("wild").dnsNames("*.example.test", "example.test").build());

        assertThat(Chains.sans(issued.leaf())).containsExactlyInAnyOrder("*.example.test", "example.test");
        assertThat(provider.created).hasSize(2)
                .allSatisfy(r -> assertThat(r.fqdn()).isEqualTo("_acme-challenge.example.test"));
        assertThat(provider.created.get(0).value()).isNotEqualTo(provider.created.get(1).value());
    }

    @Test
    void followsACnameIntoTheZoneItDelegatesTo() throws Exception {
        StoredCertificate issued = manager(solver(null).cnameStrategy(CnameStrategy.FOLLOW).build())
                .obtain(cert("app").dnsNames("app.example.test").build());

        assertThat(Chains.sans(issued.leaf())).containsExactly("app.example.test");
        assertThat(provider.created).singleElement().satisfies(r -> {
            assertThat(r.fqdn()).isEqualTo("_acme-challenge.app.delegated.test");
            assertThat(r.zone()).isEqualTo("delegated.test");
        });
    }

    @Test
    void waitsForARecordThatIsPublishedLateThenSucceeds() throws Exception {
        Duration delay = Duration.ofMillis(1500);
        CertificateManager manager = manager(solver(delay).propagationTimeout(Duration.ofSeconds(20)).build());

        long start = System.nanoTime();
        StoredCertificate issued = manager.obtain(cert("late").dnsNames("late.example.test").build());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(Chains.sans(issued.leaf())).containsExactly("late.example.test");
        assertThat(took).isGreaterThanOrEqualTo(delay);
    }

    @Test
    void aRecordThatNeverAppearsFailsWithAClearTimeoutAndIsDeleted() {
        CertificateManager manager = manager(solver(Duration.ofMillis(-1)).propagationTimeout(Duration.ofSeconds(1)).build());

        assertThatThrownBy(() -> manager.obtain(cert("never").dnsNames("never.example.test").build()))
                .isInstanceOf(SolverException.class)
                .hasMessageContaining("_acme-challenge.never.example.test")
                .hasMessageContaining("did not become visible")
                .hasMessageContaining("127.0.0.1:" + bind.port());
        assertThat(provider.created).hasSize(1);
    }

    /** Whether the store's journal has an entry and BIND serves a TXT record at {@code name}. */
    private static boolean journalledAndPublished(FileCertificateStore store, String name) {
        try {
            return !store.pendingCleanups().isEmpty() && !DnsQuery.ask(bind.address(), name, DnsQuery.TYPE_TXT).isEmpty();
        } catch (StoreException | IOException e) {
            throw new IllegalStateException("cannot read the journal or ask BIND: " + e.getMessage(), e);
        }
    }

    @Test
    void aNewManagerRemovesTheRecordsOfAProcessThatWasKilled(@TempDir Path dir) throws Exception {
        Path storeDir = dir.resolve("store");
        Path anchor = dir.resolve("pebble-tls.pem");
        Files.writeString(anchor, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pebble.tlsTrustAnchor().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        String name = "_acme-challenge.crash.example.test";
        FileCertificateStore store = FileCertificateStore.of(storeDir);
        ChildProcess child = ChildProcess.start("DNS cleanup child", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                DnsCleanupChild.class.getName(), storeDir.toString(), pebble.directoryUrl().toString(), anchor.toString(),
                Integer.toString(bind.port())),
                Map.of("AUTOCERT4J_TEST_TSIG", bind.tsigSecret()), dir, dir.resolve("child.log"));
        try {
            child.awaitReady(Duration.ofSeconds(60), () -> journalledAndPublished(store, name));
        } finally {
            child.kill();
        }
        assertThat(DnsQuery.ask(bind.address(), name, DnsQuery.TYPE_TXT)).as("record the killed process left").hasSize(1);
        // The kill may land between the confirmed record's entry and the removal of its intent: one or two entries.
        List<PendingCleanup> left = store.pendingCleanups();
        assertThat(left).hasSizeBetween(1, 2)
                .allSatisfy(p -> assertThat(p.certificateId()).isEqualTo("default/crash"));

        int removed = manager(solver(bind.address(), bind.tsigSecret()).build(), store).cleanUpLeftovers();

        assertThat(removed).isEqualTo(left.size());
        assertThat(DnsQuery.ask(bind.address(), name, DnsQuery.TYPE_TXT)).isEmpty();
        assertThat(store.pendingCleanups()).isEmpty();
    }

    @Test
    void alsoWaitsForTheRecursiveResolversWhenAsked() throws Exception {
        StoredCertificate issued = manager(solver(Duration.ofMillis(300)).checkResolvers(true).build())
                .obtain(cert("recursive").dnsNames("recursive.example.test").build());

        assertThat(Chains.sans(issued.leaf())).containsExactly("recursive.example.test");
    }

    @Test
    void waitsAFixedTimeInsteadOfCheckingWhenTold() throws Exception {
        Duration wait = Duration.ofMillis(500);
        CertificateManager manager = manager(solver(null).fixedPropagationWait(wait).build());

        long start = System.nanoTime();
        manager.obtain(cert("fixed").dnsNames("fixed.example.test").build());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(wait);
    }

    @Test
    void everyCheckAsksAnewSoAnAnswerThatChangedAtTheServerIsSeenAtOnce() throws Exception {
        // The resolvers are checked too: a cached answer from the first check would hide the second value.
        Dns01Solver solver = solver(null).checkResolvers(true).build();
        ChallengeRequest first = new ChallengeRequest(ChallengeType.DNS_01, Identifier.dns("changing.example.test"), "token-1",
                "token-1.thumbprint");
        ChallengeRequest second = new ChallengeRequest(ChallengeType.DNS_01, Identifier.dns("changing.example.test"), "token-2",
                "token-2.thumbprint");

        try (Presentation one = solver.present(first)) {
            one.awaitVisible(Instant.now().plusSeconds(10));
            try (Presentation two = solver.present(second)) {
                two.awaitVisible(Instant.now().plusSeconds(10));

                assertThat(DnsQuery.ask(bind.address(), "_acme-challenge.changing.example.test", DnsQuery.TYPE_TXT))
                        .containsExactlyInAnyOrder(first.dnsTxtValue(), second.dnsTxtValue());
            }
        }
    }

    @Test
    void aPresentationCarriesItsCleanupHandleAndDeletesOnceWhenClosedTwice() throws Exception {
        Dns01Solver solver = solver(null).build();
        ChallengeRequest challenge = new ChallengeRequest(ChallengeType.DNS_01, Identifier.dns("twice.example.test"), "token",
                "token.thumbprint");

        Presentation presentation = solver.present(challenge);
        presentation.awaitVisible(Instant.now().plusSeconds(10));
        assertThat(DnsQuery.ask(bind.address(), "_acme-challenge.twice.example.test", DnsQuery.TYPE_TXT))
                .containsExactly(challenge.dnsTxtValue());
        assertThat(presentation.cleanupHandle()).isPresent();
        presentation.close();
        presentation.close();

        assertThat(provider.deletes()).isEqualTo(1);
        assertThat(DnsQuery.ask(bind.address(), "_acme-challenge.twice.example.test", DnsQuery.TYPE_TXT)).isEmpty();
    }

    @Test
    void aWrongTsigKeyIsRefusedClearlyWithoutShowingTheSecret() {
        String wrong = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        DnsProvider p = rfc2136(bind.address(), wrong);

        assertThatThrownBy(() -> p.createTxtRecord(new dev.autocert4j.solver.dns.TxtRecord("_acme-challenge.x.example.test",
                "example.test", "v", Duration.ofSeconds(60))))
                .isInstanceOf(SolverException.class)
                .hasMessageContaining("NOTAUTH").hasMessageContaining("TSIG").hasMessageNotContaining(wrong);
        assertThat(bind.log()).doesNotContain(bind.tsigSecret());
    }

    @Test
    void anUnreachableAddressOfANameserverDoesNotHoldTheCheckUp() throws Exception {
        StoredCertificate issued = manager(solver(null).queryTimeout(Duration.ofMillis(500)).build())
                .obtain(cert("multi").dnsNames("www.multi.test").build());

        assertThat(Chains.sans(issued.leaf())).containsExactly("www.multi.test");
    }

    @Test
    void findsTheRfc2136ProviderByName() {
        DnsProvider byName = DnsProviders.byName("rfc2136", Map.of("nameserver", "127.0.0.1:" + bind.port(),
                "tsigKeyName", BindServer.TSIG_KEY_NAME, "tsigSecret", bind.tsigSecret()));

        assertThat(byName).isInstanceOf(Rfc2136DnsProvider.class);
        assertThat(byName.id()).isEqualTo("rfc2136/127.0.0.1:" + bind.port() + "/" + BindServer.TSIG_KEY_NAME);
        assertThat(byName.toString()).doesNotContain(bind.tsigSecret());
    }
}
