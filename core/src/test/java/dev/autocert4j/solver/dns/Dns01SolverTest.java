package dev.autocert4j.solver.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of Dns01Solver that need no DNS server; the rest is in the testing module's Dns01IT. */
class Dns01SolverTest {
    /** Creates nothing anywhere; for solver logic that needs no DNS server. */
    static final class Noop implements DnsProvider {
        @Override
        public String id() {
            return "noop";
        }

        @Override
        public String createTxtRecord(TxtRecord record) {
            return "h";
        }

        @Override
        public void deleteTxtRecord(String handle) {
        }
    }

    private static final DnsProvider NOOP = new Noop();

    private static Dns01Solver solver() {
        return Dns01Solver.builder().provider(NOOP).resolvers(new InetSocketAddress("127.0.0.1", 53)).build();
    }

    @Test
    void solvesDnsNamesAndWildcardsButNotIpAddresses() {
        Dns01Solver solver = solver();

        assertThat(solver.challengeType()).isEqualTo(ChallengeType.DNS_01);
        assertThat(solver.canSolve(Identifier.dns("www.example.com"))).isTrue();
        assertThat(solver.canSolve(Identifier.dns("*.example.com"))).isTrue();
        assertThat(solver.canSolve(Identifier.ip("192.0.2.1"))).isFalse();
    }

    @Test
    void servesAWildcardFromItsBaseName() {
        assertThat(Dns01Solver.challengeName(Identifier.dns("*.example.com"))).isEqualTo("_acme-challenge.example.com");
        assertThat(Dns01Solver.challengeName(Identifier.dns("www.example.com"))).isEqualTo("_acme-challenge.www.example.com");
    }

    @Test
    void itsIdNamesTheProviderSoThatANewProcessFindsIt() {
        assertThat(solver().solverId()).isEqualTo("dns-01/noop");
        assertThat(Dns01Solver.builder().provider(NOOP).resolvers(new InetSocketAddress("127.0.0.1", 53)).id("mine").build()
                .solverId()).isEqualTo("mine");
    }

    @Test
    void refusesSettingsTwiceAndNonPositiveDurationsAtOnce() {
        Dns01Solver.Builder b = Dns01Solver.builder().provider(NOOP);

        assertThatThrownBy(() -> b.provider(NOOP)).isInstanceOf(IllegalStateException.class).hasMessageContaining("provider");
        assertThatThrownBy(() -> b.pollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.ttl(Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.nameserverPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.resolvers()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dns01Solver.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("provider");
    }

    @Test
    void refusesNameserverAddressesWithAnEmptyOrInvalidNameOrAnUnresolvedAddress() {
        java.net.InetSocketAddress local = new java.net.InetSocketAddress("127.0.0.1", 5353);

        assertThatThrownBy(() -> Dns01Solver.builder().nameserverAddresses(java.util.Map.of(" ", local)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nameserverAddresses has an empty key");
        assertThatThrownBy(() -> Dns01Solver.builder().nameserverAddresses(java.util.Map.of("ns1..example.test", local)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nameserverAddresses key 'ns1..example.test'").hasMessageContaining("NS records");
        assertThatThrownBy(() -> Dns01Solver.builder().nameserverAddresses(java.util.Map.of("ns1.example.test",
                java.net.InetSocketAddress.createUnresolved("ns1.example.test", 53))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give an IP address");
    }

    @Test
    void refusesToPresentAnIpAddress() {
        assertThatThrownBy(() -> solver().present(new dev.autocert4j.solver.ChallengeRequest(ChallengeType.DNS_01,
                Identifier.ip("192.0.2.1"), "t", "t.k"))).isInstanceOf(SolverException.class).hasMessageContaining("192.0.2.1");
    }

    @Test
    void findsTheBuiltInRfc2136ProviderByNameAndNamesTheKnownOnesForAnUnknownName() {
        DnsProvider p = DnsProviders.byName("rfc2136", Map.of("nameserver", "127.0.0.1:5353"));
        assertThat(p).isInstanceOf(Rfc2136DnsProvider.class);
        assertThat(p.id()).isEqualTo("rfc2136/127.0.0.1:5353");

        assertThatThrownBy(() -> DnsProviders.byName("nosuch", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nosuch").hasMessageContaining("rfc2136");
    }

    @Test
    void neverPutsTheTsigSecretIntoMessagesOrToString() {
        String secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
        DnsProvider p = DnsProviders.byName("rfc2136", Map.of("nameserver", "127.0.0.1", "tsigKeyName", "k", "tsigSecret", secret));
        assertThat(p.toString()).doesNotContain(secret).contains("k");

        String broken = "not base64 !!";
        assertThatThrownBy(() -> Rfc2136DnsProvider.builder().tsigKey("k", "hmac-sha256", broken))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(broken);
        assertThatThrownBy(() -> Rfc2136DnsProvider.builder().tsigKey("k", "hmac-nope", secret))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hmac-nope").hasMessageNotContaining(secret);
    }

    @Test
    void aTxtRecordMustLieInsideItsZone() {
        assertThatThrownBy(() -> new TxtRecord("_acme-challenge.example.org", "example.com", "v", Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TxtRecord("_acme-challenge.www.example.com", "example.com", "v", Duration.ofSeconds(60)).relativeName())
                .isEqualTo("_acme-challenge.www");
    }
}
