package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.CnameStrategy;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DNS-01 through CloudflareDnsProvider → Cloudflare emulator → BIND (RFC 2136) → Pebble's VA. */
class CloudflareIT {
    private static final String TOKEN = dev.autocert4j.testing.support.KnownSecrets.register("tok-it-abcdef1234567890");
    private static final String KEY = dev.autocert4j.testing.support.KnownSecrets.register("it0123456789abcdef0123456789abcdef0");
    private static final String EMAIL = "ops@example.test";

    private CloudflareEmulator api;

    @RegisterExtension
    static final PebbleOverBind PEERS = PebbleOverBind.withZones(b -> b
            .zone("example.test", "_acme-challenge.app CNAME _acme-challenge.app.cf-delegated.test.")
            .zone("cf-delegated.test"));

    @BeforeEach
    void startEmulator() throws Exception {
        api = PEERS.cloudflareIntoBind()
                .zone("example.test").zone("cf-delegated.test").token(TOKEN).globalKey(EMAIL, KEY);
    }

    @AfterEach
    void providerHoldsNoRecordOfOurs() {
        try {
            assertThat(api.txtRecords()).as("TXT records left at Cloudflare").isEmpty();
        } finally {
            api.close();
        }
    }

    private Dns01Solver.Builder solver(CloudflareDnsProvider.Builder provider) {
        return Dns01Solver.builder().provider(provider.baseUrl(api.baseUrl()).build())
                .resolvers(PEERS.bind().address()).nameserverPort(PEERS.bind().port()).pollInterval(Duration.ofMillis(100));
    }

    private static StoredCertificate obtain(Dns01Solver solver, String name, String... dnsNames) throws Exception {
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(PEERS.pebble().directoryUrl()).trustedCertificates(PEERS.pebble().tlsTrustAnchor()).build())
                .solver(solver).store(new InMemoryCertificateStore()).build();
        return manager.obtain(Certificate.builder(name).dnsNames(dnsNames).issuerRef(IssuerRef.clusterIssuer("pebble")).build());
    }

    private static List<String> sans(X509Certificate leaf) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
            out.add(String.valueOf(san.get(1)));
        }
        return out;
    }

    @Test
    void aCreateThatFailsAfterTheRecordWasMadeLeavesNeitherRecordNorJournalEntry() throws Exception {
        api.dropAfterCreateNext(1);
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(PEERS.pebble().directoryUrl()).trustedCertificates(PEERS.pebble().tlsTrustAnchor()).build())
                .solver(solver(CloudflareDnsProvider.builder().apiToken(TOKEN).maxRetries(0)).build()).store(store).build();

        assertThatThrownBy(() -> manager.obtain(Certificate.builder("lost-answer").dnsNames("lost.example.test")
                .issuerRef(IssuerRef.clusterIssuer("pebble")).build())).isInstanceOf(dev.autocert4j.AutocertException.class);

        assertThat(api.txtRecordCount()).as("the record whose create got no answer").isZero();
        assertThat(store.pendingCleanups()).isEmpty();
    }

    @Test
    void issuesAWildcardAndItsBaseNameWithAnApiToken() throws Exception {
        StoredCertificate issued = obtain(solver(CloudflareDnsProvider.builder().apiToken(TOKEN)).build(),
                "wild-token", "*.example.test", "example.test");

        assertThat(sans(issued.leaf())).containsExactlyInAnyOrder("*.example.test", "example.test");
        assertThat(api.requests).anyMatch(r -> r.startsWith("POST ")).anyMatch(r -> r.startsWith("DELETE "));
    }

    @Test
    void issuesAWildcardAndItsBaseNameWithTheGlobalKeyAndEmail() throws Exception {
        StoredCertificate issued = obtain(solver(CloudflareDnsProvider.builder().apiKey(KEY, EMAIL)).build(),
                "wild-key", "*.example.test", "example.test");

        assertThat(sans(issued.leaf())).containsExactlyInAnyOrder("*.example.test", "example.test");
    }

    @Test
    void followsACnameIntoAZoneOnlyTheProviderWritesTo() throws Exception {
        StoredCertificate issued = obtain(solver(CloudflareDnsProvider.builder().apiToken(TOKEN))
                .cnameStrategy(CnameStrategy.FOLLOW).build(), "app", "app.example.test");

        assertThat(sans(issued.leaf())).containsExactly("app.example.test");
        assertThat(api.requests).anyMatch(r -> r.equals("GET zones")); // zone lookups ran
    }

    @Test
    void waitsForARecordThatReachesDnsLateThenSucceeds() throws Exception {
        Duration delay = Duration.ofMillis(1500);
        api.publishDelay(delay);
        long start = System.nanoTime();

        StoredCertificate issued = obtain(solver(CloudflareDnsProvider.builder().apiToken(TOKEN))
                .propagationTimeout(Duration.ofSeconds(20)).build(), "late", "late.example.test");

        assertThat(sans(issued.leaf())).containsExactly("late.example.test");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
    }

    @Test
    void aRecordThatNeverReachesDnsFailsWithAClearTimeoutAndIsDeleted() {
        api.publishDelay(Duration.ofMillis(-1));
        Dns01Solver solver = solver(CloudflareDnsProvider.builder().apiToken(TOKEN)).propagationTimeout(Duration.ofSeconds(1)).build();

        assertThatThrownBy(() -> obtain(solver, "never", "never.example.test"))
                .isInstanceOf(SolverException.class)
                .hasMessageContaining("_acme-challenge.never.example.test")
                .hasMessageContaining("did not become visible");
        assertThat(api.requests).anyMatch(r -> r.startsWith("DELETE "));
    }

    @Test
    void injectedServerErrorsAndARateLimitStillEndInACertificate() throws Exception {
        api.failNext(3);
        Dns01Solver solver = solver(CloudflareDnsProvider.builder().apiToken(TOKEN)).build();
        api.rateLimitNext(1, Duration.ofSeconds(1));

        StoredCertificate issued = obtain(solver, "faults", "faults.example.test");

        assertThat(sans(issued.leaf())).containsExactly("faults.example.test");
        assertThat(api.faultsServed).hasValue(4);
    }

    @Test
    void thirtyPercentOfRequestsFailingAtRandomStillIssueEveryCertificateAndLeaveNoRecord() throws Exception {
        api.failRandomly(0.30, 42);
        // Retries wait a few milliseconds instead of the production backoff; ten retries make a
        // lost call (0.3^11) practically impossible, as the default's do against a real outage.
        Dns01Solver solver = solver(CloudflareDnsProvider.builder().apiToken(TOKEN).maxRetries(10)
                .sleeper(wait -> Thread.sleep(Math.min(wait.toMillis(), 20)))).build();
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(PEERS.pebble().directoryUrl()).trustedCertificates(PEERS.pebble().tlsTrustAnchor()).build())
                .solver(solver).store(new InMemoryCertificateStore()).build();

        for (int i = 0; i < 8; i++) {
            StoredCertificate issued = manager.obtain(Certificate.builder("flaky-" + i).dnsNames("flaky-" + i + ".example.test")
                    .issuerRef(IssuerRef.clusterIssuer("pebble")).build());
            assertThat(sans(issued.leaf())).containsExactly("flaky-" + i + ".example.test");
        }

        assertThat(api.faultsServed.get()).as("faults injected").isGreaterThan(api.requests.size() / 5);
        // providerHoldsNoRecordOfOurs checks that Cloudflare holds no TXT record afterwards.
    }
}
