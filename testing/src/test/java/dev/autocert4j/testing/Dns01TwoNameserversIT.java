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
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.support.KnownSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A zone with two authoritative nameservers, as in production: {@code two.test} names {@code ns1} and {@code ns2}
 * in its NS set, each a BIND of its own on 127.0.0.1 (different ports, reached through
 * {@code Dns01Solver.Builder.nameserverAddresses}). One of them gets each record late. The solver must not let the
 * challenge go before both answer the value; Pebble's resolver asks the late one.
 */
class Dns01TwoNameserversIT {
    private static final String[] ZONE = {"@ IN NS ns2.two.test.", "ns2 IN A 127.0.0.1"};

    private static BindServer ns1;
    private static BindServer ns2;
    private static PebbleServer pebble;

    @BeforeAll
    static void start() {
        ns1 = BindServer.builder().zone("two.test", ZONE).start();
        ns2 = BindServer.builder().zone("two.test", ZONE).start();
        KnownSecrets.register(ns1.tsigSecret());
        KnownSecrets.register(ns2.tsigSecret());
        pebble = PebbleServer.builder().dnsServer(ns2.address()).authzReuse(0).start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {pebble, ns1, ns2}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static BindServer server(String name) {
        return name.equals("ns1") ? ns1 : ns2;
    }

    private static Dns01Solver.Builder solver(LateSecondaryDnsProvider provider) {
        return Dns01Solver.builder().provider(provider).resolvers(ns1.address())
                .nameserverAddresses(Map.of("ns1.two.test", ns1.address(), "ns2.two.test", ns2.address()))
                .pollInterval(Duration.ofMillis(100));
    }

    private static ChallengeRequest challenge(String name) {
        return new ChallengeRequest(ChallengeType.DNS_01, Identifier.dns(name), "token-" + name, "token-" + name + ".thumb");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ns1", "ns2"})
    void aRecordThatOnlyOneNameserverAnswersIsNotVisibleAndTheMessageNamesTheOther(String late) throws Exception {
        String early = late.equals("ns1") ? "ns2" : "ns1";
        ChallengeRequest challenge = challenge("only-" + (early.equals("ns1") ? "first" : "second") + ".two.test");
        try (LateSecondaryDnsProvider provider = new LateSecondaryDnsProvider(server(early), server(late), Duration.ofMillis(-1))) {
            Presentation presentation = solver(provider).propagationTimeout(Duration.ofSeconds(1)).build().present(challenge);
            try {
                assertThat(DnsQuery.ask(server(early).address(), "_acme-challenge." + challenge.identifier().value(),
                        DnsQuery.TYPE_TXT)).containsExactly(challenge.dnsTxtValue());

                assertThatThrownBy(() -> presentation.awaitVisible(Instant.now().plusSeconds(30)))
                        .isInstanceOf(SolverException.class).hasMessageContaining("did not become visible")
                        .hasMessageContaining(late + ".two.test (127.0.0.1:" + server(late).port() + ")")
                        .hasMessageNotContaining(early + ".two.test (");
            } finally {
                presentation.close();
            }
        }
    }

    @Test
    void theWaitEndsOnlyOnceBothNameserversAnswerTheValue() throws Exception {
        ChallengeRequest challenge = challenge("both.two.test");
        String name = "_acme-challenge.both.two.test";
        try (LateSecondaryDnsProvider provider = new LateSecondaryDnsProvider(ns1, ns2, Duration.ofMillis(1500))) {
            Presentation presentation = solver(provider).build().present(challenge);
            try {
                presentation.awaitVisible(Instant.now().plusSeconds(30));

                // At the moment the challenge would be triggered, both servers answer the value.
                assertThat(DnsQuery.ask(ns2.address(), name, DnsQuery.TYPE_TXT)).as("the late server")
                        .containsExactly(challenge.dnsTxtValue());
                assertThat(DnsQuery.ask(ns1.address(), name, DnsQuery.TYPE_TXT)).as("the primary")
                        .containsExactly(challenge.dnsTxtValue());
                assertThat(provider.copyFailures).isEmpty();
            } finally {
                presentation.close();
            }
            assertThat(DnsQuery.ask(ns1.address(), name, DnsQuery.TYPE_TXT)).isEmpty();
            assertThat(DnsQuery.ask(ns2.address(), name, DnsQuery.TYPE_TXT)).isEmpty();
        }
    }

    @Test
    void pebbleAskingTheLateNameserverValidatesBecauseTheChallengeWaitedForIt() throws Exception {
        try (LateSecondaryDnsProvider provider = new LateSecondaryDnsProvider(ns1, ns2, Duration.ofMillis(1500));
                CertificateManager manager = CertificateManager.builder()
                        .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                                .trustedCertificates(pebble.tlsTrustAnchor()).build())
                        .solver(solver(provider).build()).store(new InMemoryCertificateStore()).build()) {
            StoredCertificate issued = manager.obtain(Certificate.builder("late-secondary").dnsNames("www.two.test")
                    .issuerRef(IssuerRef.clusterIssuer("pebble")).build());

            assertThat(Chains.sans(issued.leaf())).containsExactly("www.two.test");
            assertThat(provider.copyFailures).isEmpty();
            assertThat(DnsQuery.ask(ns2.address(), "_acme-challenge.www.two.test", DnsQuery.TYPE_TXT)).isEmpty();
        }
    }
}
