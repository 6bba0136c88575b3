package dev.autocert4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each solver's preflight is asked about the names it was selected for, and no other. */
class SolverSetPreflightTest {
    /** A DNS-01 solver that records what its preflight was asked about, and fails when told to. */
    private static final class Checked implements Solver, Preflight {
        final List<List<String>> asked = new CopyOnWriteArrayList<>();
        volatile boolean fail;

        @Override
        public ChallengeType challengeType() {
            return ChallengeType.DNS_01;
        }

        @Override
        public boolean canSolve(Identifier identifier) {
            return true;
        }

        @Override
        public Presentation present(ChallengeRequest challenge) {
            throw new UnsupportedOperationException("preflight only");
        }

        @Override
        public void preflight(PreflightRequest request) throws PreflightException {
            asked.add(request.identifiers().stream().map(Identifier::value).toList());
            if (fail) {
                throw new PreflightException("zone absent", false);
            }
        }
    }

    private final Checked comZone = new Checked();
    private final Checked orgZone = new Checked();
    private final Checked unused = new Checked();
    private final SolverSet set = new SolverSet(List.of(
            new SolverSet.Entry(SolverSelector.dnsZones("example.com"), comZone),
            new SolverSet.Entry(SolverSelector.dnsZones("example.org"), orgZone),
            new SolverSet.Entry(SolverSelector.dnsZones("example.net"), unused)));
    private final Certificate certificate = Certificate.builder("c").issuerRef(IssuerRef.clusterIssuer("le"))
            .dnsNames("a.example.com", "b.example.org", "c.example.com").build();

    @Test
    void eachSelectedSolverIsAskedAboutItsOwnNamesOnly() throws Exception {
        set.preflight(PreflightRequest.of(certificate));

        assertThat(comZone.asked).containsExactly(List.of("a.example.com", "c.example.com"));
        assertThat(orgZone.asked).containsExactly(List.of("b.example.org"));
        assertThat(unused.asked).as("a solver no name selected").isEmpty();
    }

    @Test
    void theFirstFailingSolverFailsThePreflight() {
        orgZone.fail = true;

        assertThatThrownBy(() -> set.preflight(PreflightRequest.of(certificate))).isInstanceOf(PreflightException.class)
                .hasMessage("zone absent");
    }
}
