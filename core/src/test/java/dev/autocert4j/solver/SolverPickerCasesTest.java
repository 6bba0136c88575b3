package dev.autocert4j.solver;

import static dev.autocert4j.solver.ChallengeType.DNS_01;
import static dev.autocert4j.solver.ChallengeType.HTTP_01;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases of cert-manager's own solver selection tests, ported one by one as a table:
 * {@code TestPick} in {@code pkg/util/solverpicker/solverpicker_test.go} (cert-manager v1.21; each row
 * keeps its test name) and {@code TestDNSZones} in
 * {@code pkg/controller/acmeorders/selectors/dns_zones_test.go}. The solvers are stand-ins that carry
 * the name cert-manager's test gives them; the Order's labels are the Certificate's labels; the
 * authorization's challenges are the offered types; a wildcard authorization is the name with
 * {@code *.} in front, as {@code Pick} receives it.
 */
class SolverPickerCasesTest {
    /** A named stand-in solver: HTTP-01 cannot solve wildcards, DNS-01 cannot solve IP addresses. */
    private record Named(String name, ChallengeType type) implements Solver {
        @Override
        public ChallengeType challengeType() {
            return type;
        }

        @Override
        public boolean canSolve(Identifier identifier) {
            return type == HTTP_01 ? !identifier.isWildcard() : identifier.type() == Identifier.Type.DNS;
        }

        @Override
        public Presentation present(ChallengeRequest challenge) {
            throw new UnsupportedOperationException("selection only");
        }
    }

    /** One solver of the issuer: its selector lists and its type, under the name cert-manager's test uses. */
    private record S(String name, ChallengeType type, List<String> dnsNames, List<String> dnsZones, Map<String, String> labels) {
        SolverSet.Entry entry() {
            return new SolverSet.Entry(new SolverSelector(new LinkedHashSet<>(dnsNames), new LinkedHashSet<>(dnsZones), labels),
                    new Named(name, type));
        }

        S labels(Map<String, String> l) {
            return new S(name, type, dnsNames, dnsZones, l);
        }

        S zones(String... z) {
            return new S(name, type, dnsNames, List.of(z), labels);
        }

        S names(String... n) {
            return new S(name, type, List.of(n), dnsZones, labels);
        }
    }

    private static S solver(String name, ChallengeType type) {
        return new S(name, type, List.of(), List.of(), Map.of());
    }

    // the reusable solvers of TestPick
    private static final S EMPTY_HTTP01 = solver("empty-selector-solver", HTTP_01);
    private static final S EMPTY_DNS01 = solver("test-cloudflare-email", DNS_01);
    private static final S NON_MATCHING = solver("non-matching-selector-solver", HTTP_01)
            .labels(Map.of("label", "does-not-exist", "does-not", "match"));
    private static final S EXAMPLE_COM_NAME = solver("example-com-dns-name-selector-solver", HTTP_01).names("example.com");

    private static final Map<String, String> LABEL = Map.of("label", "exists");
    private static final Map<String, String> TWO_LABELS = Map.of("label", "exists", "another", "label");
    private static final Map<String, String> LABEL_AND_ANOTHER = Map.of("label", "exists", "another", "matches");

    private static Arguments pick(String test, List<S> solvers, Map<String, String> orderLabels, String domainToFind,
            ChallengeType offered, String expected) {
        return Arguments.of(test, solvers, orderLabels, domainToFind, offered, expected);
    }

    static Stream<Arguments> testPick() {
        return Stream.of(
                pick("should use configured default solver when no others are present",
                        List.of(EMPTY_HTTP01), Map.of(), "example.com", HTTP_01, "empty-selector-solver"),
                pick("should use configured default solver when no others are present but selector is non-nil",
                        List.of(solver("empty-selector-solver", HTTP_01)), Map.of(), "example.com", HTTP_01, "empty-selector-solver"),
                pick("should use configured default solver when others do not match",
                        List.of(EMPTY_HTTP01, NON_MATCHING), Map.of(), "example.com", HTTP_01, "empty-selector-solver"),
                pick("should use DNS01 solver over HTTP01 if challenge is of type DNS01",
                        List.of(EMPTY_HTTP01, EMPTY_DNS01), Map.of(), "example.com", DNS_01, "test-cloudflare-email"),
                pick("should return nil if none match",
                        List.of(NON_MATCHING), Map.of(), "example.com", HTTP_01, null),
                pick("uses correct solver when selector explicitly names dnsName",
                        List.of(EMPTY_HTTP01, EXAMPLE_COM_NAME), Map.of(), "example.com", HTTP_01, "example-com-dns-name-selector-solver"),
                pick("uses default solver if dnsName does not match",
                        List.of(EMPTY_HTTP01, EXAMPLE_COM_NAME), Map.of(), "notexample.com", HTTP_01, "empty-selector-solver"),
                pick("if two solvers specify the same dnsName, the one with the most labels should be chosen",
                        List.of(EXAMPLE_COM_NAME, solver("example-com-dns-name-labels-selector-solver", HTTP_01).labels(LABEL).names("example.com")),
                        LABEL, "example.com", HTTP_01, "example-com-dns-name-labels-selector-solver"),
                pick("if one solver matches with dnsNames, and the other solver matches with labels, the dnsName solver should be chosen",
                        List.of(EXAMPLE_COM_NAME, solver("example-com-labels-selector-solver", HTTP_01).labels(LABEL)),
                        LABEL, "example.com", HTTP_01, "example-com-dns-name-selector-solver"),
                pick("if one solver matches with dnsNames, and the other solver matches with labels, the dnsName solver should be "
                        + "chosen (solvers listed in reverse order)",
                        List.of(solver("example-com-labels-selector-solver", HTTP_01).labels(LABEL), EXAMPLE_COM_NAME),
                        LABEL, "example.com", HTTP_01, "example-com-dns-name-selector-solver"),
                pick("if one solver matches with dnsNames, and the other solver matches with 2 labels, the dnsName solver should be chosen",
                        List.of(EXAMPLE_COM_NAME, solver("example-com-labels-selector-solver", HTTP_01).labels(TWO_LABELS)),
                        TWO_LABELS, "example.com", HTTP_01, "example-com-dns-name-selector-solver"),
                pick("should choose the solver with the most labels matching if multiple match",
                        List.of(solver("example-com-labels-selector-solver", HTTP_01).labels(LABEL),
                                solver("example-com-multiple-labels-selector-solver", HTTP_01).labels(LABEL_AND_ANOTHER)),
                        LABEL_AND_ANOTHER, "example.com", HTTP_01, "example-com-multiple-labels-selector-solver"),
                pick("should match wildcard dnsName solver if authorization has Wildcard=true",
                        List.of(EMPTY_DNS01, solver("example-com-wc-dnsname-selector-solver", DNS_01).names("*.example.com")),
                        Map.of(), "*.example.com", DNS_01, "example-com-wc-dnsname-selector-solver"),
                pick("dnsName selectors should take precedence over dnsZone selectors",
                        List.of(EXAMPLE_COM_NAME, solver("com-dnszone-selector-solver", HTTP_01).zones("com")),
                        Map.of(), "example.com", HTTP_01, "example-com-dns-name-selector-solver"),
                pick("dnsName selectors should take precedence over dnsZone selectors (reversed order)",
                        List.of(solver("com-dnszone-selector-solver", DNS_01).zones("com"), EXAMPLE_COM_NAME),
                        Map.of(), "example.com", HTTP_01, "example-com-dns-name-selector-solver"),
                pick("should allow matching with dnsZones",
                        List.of(EMPTY_DNS01, solver("example-com-dnszone-selector-solver", DNS_01).zones("example.com")),
                        Map.of(), "*.www.example.com", DNS_01, "example-com-dnszone-selector-solver"),
                pick("most specific dnsZone should be selected if multiple match",
                        List.of(solver("example-com-dnszone-selector-solver", DNS_01).zones("example.com"),
                                solver("prod-example-com-dnszone-selector-solver", DNS_01).zones("prod.example.com")),
                        Map.of(), "*.www.prod.example.com", DNS_01, "prod-example-com-dnszone-selector-solver"),
                pick("most specific dnsZone should be selected if multiple match (reversed)",
                        List.of(solver("prod-example-com-dnszone-selector-solver", DNS_01).zones("prod.example.com"),
                                solver("example-com-dnszone-selector-solver", DNS_01).zones("example.com")),
                        Map.of(), "*.www.prod.example.com", DNS_01, "prod-example-com-dnszone-selector-solver"),
                pick("if two solvers specify the same dnsZone, the one with the most labels should be chosen",
                        List.of(solver("example-com-dnszone-selector-solver", HTTP_01).zones("example.com"),
                                solver("example-com-dnszone-labels-selector-solver", HTTP_01).labels(LABEL).zones("example.com")),
                        LABEL, "www.example.com", HTTP_01, "example-com-dnszone-labels-selector-solver"),
                pick("if both solvers match dnsNames, and one also matches dnsZones, choose the one that matches dnsZones",
                        List.of(solver("example-com-dnsname-selector-solver", HTTP_01).names("www.example.com"),
                                solver("example-com-dnsname-dnszone-selector-solver", HTTP_01).zones("example.com").names("www.example.com")),
                        Map.of(), "www.example.com", HTTP_01, "example-com-dnsname-dnszone-selector-solver"),
                pick("if both solvers match dnsNames, and one also matches dnsZones, choose the one that matches dnsZones (reversed)",
                        List.of(solver("example-com-dnsname-dnszone-selector-solver", HTTP_01).zones("example.com").names("www.example.com"),
                                solver("example-com-dnsname-selector-solver", HTTP_01).names("www.example.com")),
                        Map.of(), "www.example.com", HTTP_01, "example-com-dnsname-dnszone-selector-solver"),
                pick("uses correct solver when selector explicitly names dnsName (reversed)",
                        List.of(EXAMPLE_COM_NAME, EMPTY_HTTP01), Map.of(), "example.com", HTTP_01, "example-com-dns-name-selector-solver"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("testPick")
    void picksTheSolverCertManagersTestPickExpects(String test, List<S> solvers, Map<String, String> orderLabels, String domainToFind,
            ChallengeType offered, String expected) {
        List<SolverSet.Entry> entries = new ArrayList<>();
        solvers.forEach(s -> entries.add(s.entry()));
        Certificate certificate = Certificate.builder("c").issuerRef(IssuerRef.clusterIssuer("acme"))
                .dnsNames(domainToFind).labels(orderLabels).build();

        Optional<Solver> picked = new SolverSet(entries).select(Identifier.dns(domainToFind), certificate, EnumSet.of(offered));

        assertThat(picked.map(s -> ((Named) s).name())).isEqualTo(Optional.ofNullable(expected));
    }

    // TestDNSZones of selectors/dns_zones_test.go: whether the selector matches, and its score (zone labels)

    static Stream<Arguments> testDnsZones() {
        return Stream.of(
                Arguments.of("matching a domain with an empty selector", List.of(), "www.example.com", true, 0),
                Arguments.of("matching a domain in a zone", List.of("example.com"), "www.example.com", true, 2),
                Arguments.of("matching a wildcard domain in a zone", List.of("example.com"), "*.example.com", true, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("testDnsZones")
    void scoresZonesAsCertManagersTestDnsZonesExpects(String test, List<String> zones, String dnsName, boolean matches, int score) {
        SolverSelector selector = new SolverSelector(Set.of(), new LinkedHashSet<>(zones), Map.of());

        Optional<SelectorMatch> match = selector.match(Identifier.dns(dnsName), Map.of());

        assertThat(match.isPresent()).isEqualTo(matches);
        assertThat(match.map(SelectorMatch::zoneLabels)).contains(score);
    }

    // beyond cert-manager's tables: what its selector code does that those tables do not pin down

    @Test
    void aSelectorMatchesOnlyWhenEveryNonEmptyListMatches() {
        SolverSelector namesAndZones = new SolverSelector(Set.of("www.example.com"), Set.of("other.test"), Map.of());
        SolverSelector namesAndLabels = new SolverSelector(Set.of("www.example.com"), Set.of(), Map.of("team", "web"));

        assertThat(namesAndZones.match(Identifier.dns("www.example.com"), Map.of())).isEmpty();
        assertThat(namesAndLabels.match(Identifier.dns("www.example.com"), Map.of("team", "db"))).isEmpty();
        assertThat(namesAndLabels.match(Identifier.dns("www.example.com"), Map.of("team", "web"))).isPresent();
        SolverSet set = new SolverSet(List.of(EMPTY_HTTP01.entry(),
                new SolverSet.Entry(namesAndZones, new Named("names-and-zones", HTTP_01))));
        Certificate c = Certificate.builder("c").issuerRef(IssuerRef.clusterIssuer("acme")).dnsNames("www.example.com").build();
        assertThat(set.select(Identifier.dns("www.example.com"), c)).map(s -> ((Named) s).name()).contains("empty-selector-solver");
    }

    @Test
    void aSolverOfATypeTheCaDidNotOfferIsSkippedForTheNextBest() {
        S dnsByName = solver("dns-by-name", DNS_01).names("www.example.com");
        SolverSet set = new SolverSet(List.of(EMPTY_HTTP01.entry(), dnsByName.entry()));
        Certificate c = Certificate.builder("c").issuerRef(IssuerRef.clusterIssuer("acme")).dnsNames("www.example.com").build();
        Identifier id = Identifier.dns("www.example.com");

        assertThat(set.select(id, c, EnumSet.of(HTTP_01, DNS_01))).map(s -> ((Named) s).name()).contains("dns-by-name");
        assertThat(set.select(id, c, EnumSet.of(HTTP_01))).map(s -> ((Named) s).name()).contains("empty-selector-solver");
        assertThat(set.select(id, c, EnumSet.of(ChallengeType.TLS_ALPN_01))).isEmpty();
    }

    @Test
    void aZoneWithMoreLabelsWinsAndANameOutsideEveryZoneIsNotMatched() {
        SolverSelector zones = new SolverSelector(Set.of(), Set.of("example.com", "prod.example.com"), Map.of());

        assertThat(zones.match(Identifier.dns("a.prod.example.com"), Map.of())).map(SelectorMatch::zoneLabels).contains(3);
        assertThat(zones.match(Identifier.dns("example.com"), Map.of())).map(SelectorMatch::zoneLabels).contains(2);
        assertThat(zones.match(Identifier.dns("badexample.com"), Map.of())).isEmpty();
        assertThat(zones.match(Identifier.ip("192.0.2.1"), Map.of())).isEmpty();
    }
}
