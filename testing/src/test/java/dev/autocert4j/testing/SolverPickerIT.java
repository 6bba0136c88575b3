package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.support.KnownSecrets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against Pebble, which offers only dns-01 for a wildcard authorization: the most specific solver
 * for the name is of a type the CA did not offer, so it is skipped for the next best, as
 * cert-manager's solver picker skips it, instead of being chosen and failing the order.
 */
class SolverPickerIT {
    private static BindServer bind;
    private static PebbleServer pebble;

    /** An HTTP-01 solver that claims every DNS name, wildcards too, and counts what it is asked to present. */
    private static final class ClaimsWildcards implements Solver {
        final AtomicInteger presented = new AtomicInteger();

        @Override
        public ChallengeType challengeType() {
            return ChallengeType.HTTP_01;
        }

        @Override
        public boolean canSolve(Identifier identifier) {
            return identifier.type() == Identifier.Type.DNS;
        }

        @Override
        public Presentation present(ChallengeRequest challenge) {
            presented.incrementAndGet();
            throw new IllegalStateException("not offered for a wildcard: must not be asked");
        }
    }

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
    void aSolverOfATypeTheCaDidNotOfferIsSkippedForTheNextBestMatch() throws Exception {
        ClaimsWildcards http01 = new ClaimsWildcards();
        try (CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(SolverSelector.dnsNames("*.example.test"), http01) // the most specific: a dnsNames match
                .solver(SolverSelector.any(), Dns01IT.solver(bind.address(), bind.tsigSecret()).pollInterval(Duration.ofMillis(100)).build())
                .store(new InMemoryCertificateStore()).build()) {

            StoredCertificate issued = manager.obtain(Certificate.builder("wild").issuerRef(IssuerRef.clusterIssuer("pebble"))
                    .dnsNames("*.example.test").build());

            assertThat(Chains.sans(issued.leaf())).containsExactly("*.example.test");
            assertThat(http01.presented).hasValue(0);
        }
    }
}
