package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PreflightException;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.testing.support.KnownSecrets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cloudflare credentials and zones are checked before the order: a token Cloudflare refuses, or a zone the
 * account lacks, places no order at Pebble; a good token is verified once for several orders.
 */
class CloudflarePreflightIT {
    private static final String TOKEN = KnownSecrets.register("tok-preflight-0123456789abcdef");
    private static final String WRONG_TOKEN = KnownSecrets.register("tok-revoked-fedcba9876543210");

    private CloudflareEmulator api;
    private final List<CertificateEvent> events = new CopyOnWriteArrayList<>();

    // absent.test is served by BIND (so the SOA walk finds it), but is no zone of the Cloudflare account.
    @RegisterExtension
    static final PebbleOverBind PEERS = PebbleOverBind.withZones(b -> b.zone("example.test").zone("absent.test"));

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

    private CertificateManager manager(String token) {
        Dns01Solver dns01 = Dns01Solver.builder()
                .provider(CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(token).build())
                .resolvers(PEERS.bind().address()).nameserverPort(PEERS.bind().port()).pollInterval(Duration.ofMillis(100)).build();
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(PEERS.pebble().directoryUrl()).trustedCertificates(PEERS.pebble().tlsTrustAnchor())
                        .build())
                .solver(dns01).store(new InMemoryCertificateStore()).listener(events::add).build();
    }

    private static Certificate cert(String name, String dnsName) {
        return Certificate.builder(name).dnsNames(dnsName).issuerRef(IssuerRef.clusterIssuer("pebble")).build();
    }

    private void assertNothingWasOrdered(int ordersBefore) {
        assertThat(PEERS.pebble().orderCount()).as("orders at Pebble").isEqualTo(ordersBefore);
        assertThat(events).extracting(CertificateEvent::type)
                .doesNotContain(CertificateEvent.Type.GENERATED, CertificateEvent.Type.ORDER_CREATED)
                .contains(CertificateEvent.Type.FAILED);
        assertThat(api.requests()).as("nothing written at Cloudflare").noneMatch(r -> r.startsWith("POST "));
    }

    @Test
    void aTokenCloudflareRefusesPlacesNoOrder() throws Exception {
        int ordersBefore = PEERS.pebble().orderCount();

        assertThatThrownBy(() -> manager(WRONG_TOKEN).obtain(cert("token", "token.example.test")))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("Cloudflare does not accept the API token")
                .hasMessageContaining("Invalid API Token")
                .hasMessageNotContaining(WRONG_TOKEN);

        assertNothingWasOrdered(ordersBefore);
        assertThat(api.requests()).contains("GET user/tokens/verify");
    }

    @Test
    void aZoneTheAccountLacksPlacesNoOrder() throws Exception {
        int ordersBefore = PEERS.pebble().orderCount();

        assertThatThrownBy(() -> manager(TOKEN).obtain(cert("absent", "www.absent.test")))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("No Cloudflare zone holds absent.test for these credentials: add the zone to the account");

        assertNothingWasOrdered(ordersBefore);
    }

    @Test
    void aGoodTokenIsVerifiedOnceForSeveralOrders() throws Exception {
        CertificateManager manager = manager(TOKEN);
        int ordersBefore = PEERS.pebble().orderCount();

        manager.obtain(cert("first", "first.example.test"));
        manager.obtain(cert("second", "second.example.test"));

        assertThat(PEERS.pebble().orderCount()).isEqualTo(ordersBefore + 2);
        assertThat(api.requests()).filteredOn("GET user/tokens/verify"::equals).as("token verifications").hasSize(1);
    }
}
