package dev.autocert4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cert-manager's solver precedence: dnsNames > longest dnsZones > most matchLabels > order. */
class SolverSetTest {
    /** A named solver that can solve what its type allows (HTTP-01: no wildcards). */
    private record Named(String name, ChallengeType type) implements Solver {
        @Override
        public ChallengeType challengeType() {
            return type;
        }

        @Override
        public boolean canSolve(Identifier identifier) {
            return type != ChallengeType.HTTP_01 || !identifier.isWildcard();
        }

        @Override
        public Presentation present(ChallengeRequest challenge) {
            throw new UnsupportedOperationException("selection only");
        }
    }

    private static final Named FALLBACK = new Named("fallback", ChallengeType.HTTP_01);
    private static final Named ZONE = new Named("zone", ChallengeType.DNS_01);
    private static final Named SUBZONE = new Named("subzone", ChallengeType.DNS_01);
    private static final Named NAME = new Named("name", ChallengeType.DNS_01);
    private static final Named LABELS = new Named("labels", ChallengeType.HTTP_01);

    private static Certificate cert(Map<String, String> labels, String... names) {
        return Certificate.builder("c").issuerRef(IssuerRef.clusterIssuer("le")).dnsNames(names).labels(labels).build();
    }

    private final SolverSet set = new SolverSet(List.of(
            new SolverSet.Entry(SolverSelector.any(), FALLBACK),
            new SolverSet.Entry(SolverSelector.dnsZones("example.com"), ZONE),
            new SolverSet.Entry(SolverSelector.dnsZones("sub.example.com"), SUBZONE),
            new SolverSet.Entry(SolverSelector.dnsNames("www.sub.example.com"), NAME),
            new SolverSet.Entry(SolverSelector.matchLabels(Map.of("team", "web")), LABELS)));

    private Solver pick(String name, Map<String, String> labels) {
        Certificate c = cert(labels, name);
        return set.select(c.identifiers().get(0), c).orElseThrow();
    }

    @Test
    void dnsNamesMatchWinsOverZones() {
        assertThat(pick("www.sub.example.com", Map.of())).isEqualTo(NAME);
    }

    @Test
    void mostSpecificZoneWins() {
        assertThat(pick("api.sub.example.com", Map.of())).isEqualTo(SUBZONE);
        assertThat(pick("api.example.com", Map.of())).isEqualTo(ZONE);
        assertThat(pick("example.com", Map.of())).isEqualTo(ZONE);
    }

    @Test
    void labelsSelectorWinsOverTheEmptySelector() {
        assertThat(pick("other.test", Map.of("team", "web"))).isEqualTo(LABELS);
        assertThat(pick("other.test", Map.of("team", "db"))).isEqualTo(FALLBACK);
    }

    @Test
    void emptySelectorIsTheFallback() {
        assertThat(pick("other.test", Map.of())).isEqualTo(FALLBACK);
    }

    @Test
    void firstConfiguredWinsAmongEquals() {
        Named second = new Named("second", ChallengeType.HTTP_01);
        SolverSet twoFallbacks = new SolverSet(List.of(new SolverSet.Entry(SolverSelector.any(), FALLBACK),
                new SolverSet.Entry(SolverSelector.any(), second)));
        Certificate c = cert(Map.of(), "a.test");

        assertThat(twoFallbacks.select(c.identifiers().get(0), c)).contains(FALLBACK);
    }

    @Test
    void refusesAWildcardWhenOnlyHttp01IsConfigured() {
        SolverSet httpOnly = new SolverSet(List.of(new SolverSet.Entry(SolverSelector.any(), FALLBACK)));
        Certificate c = cert(Map.of(), "*.example.com", "example.com");

        assertThatThrownBy(() -> httpOnly.requireSolverForEveryIdentifier(c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("*.example.com")
                .hasMessageContaining("DNS-01");
    }

    @Test
    void wildcardGoesToTheZoneSolverNotTheHttpFallback() {
        Certificate c = cert(Map.of(), "*.example.com");

        assertThat(set.select(c.identifiers().get(0), c)).contains(ZONE);
    }
}
