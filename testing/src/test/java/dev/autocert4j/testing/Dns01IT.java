package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.SolverException;
import dev.autocert4j.StoredCertificate;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.dns.CnameStrategy;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.DnsProviders;
import dev.autocert4j.solver.dns.Rfc2136DnsProvider;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
                .start();
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

    static DnsProvider rfc2136() {
        return Rfc2136DnsProvider.builder().nameserver(bind.address())
                .tsigKey(BindServer.TSIG_KEY_NAME, BindServer.TSIG_ALGORITHM, bind.tsigSecret()).build();
    }

    private Dns01Solver.Builder solver(Duration publishDelay) {
        provider = new RecordingDnsProvider(rfc2136(), publishDelay);
        return Dns01Solver.builder().provider(provider).resolvers(bind.address()).nameserverPort(bind.port())
                .pollInterval(Duration.ofMillis(100));
    }

    private static CertificateManager manager(Dns01Solver solver) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(solver).store(new InMemoryCertificateStore()).build();
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

    @Test
    void findsTheRfc2136ProviderByName() {
        DnsProvider byName = DnsProviders.byName("rfc2136", Map.of("nameserver", "127.0.0.1:" + bind.port(),
                "tsigKeyName", BindServer.TSIG_KEY_NAME, "tsigSecret", bind.tsigSecret()));

        assertThat(byName).isInstanceOf(Rfc2136DnsProvider.class);
        assertThat(byName.id()).isEqualTo("rfc2136/127.0.0.1:" + bind.port() + "/" + BindServer.TSIG_KEY_NAME);
        assertThat(byName.toString()).doesNotContain(bind.tsigSecret());
    }
}
