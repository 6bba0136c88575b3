package dev.autocert4j.solver;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Identifier;
import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.internal.x509.Names;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which names a solver is used for: cert-manager's {@code solvers[].selector}. An empty selector
 * ({@link #any()}) matches everything and is the fallback.
 *
 * <p>A selector matches only when each of its non-empty lists matches: {@code dnsNames} AND
 * {@code dnsZones} AND {@code matchLabels}. Precedence when several solvers match a name, as in
 * cert-manager's solver picker ({@code pkg/util/solverpicker}): a {@code dnsNames} match wins over
 * none; then the zone with more labels ({@code prod.example.com} over {@code example.com}) wins over a
 * shorter one or none; then more {@code matchLabels} win over fewer; among equals the solver
 * configured first wins.
 *
 * @param dnsNames exact names (wildcards as written, {@code *.example.com}) this solver serves
 * @param dnsZones zones whose names, and the zone apex itself, this solver serves
 * @param matchLabels labels the certificate must all carry
 */
public record SolverSelector(Set<String> dnsNames, Set<String> dnsZones, Map<String, String> matchLabels) {
    /**
     * Validates and copies the components.
     *
     * @param dnsNames see the record description
     * @param dnsZones see the record description
     * @param matchLabels see the record description
     */
    public SolverSelector {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String n : Arguments.noNulls("selector.dnsNames", dnsNames)) {
            names.add(Names.normaliseDnsName("selector.dnsNames", n));
        }
        LinkedHashSet<String> zones = new LinkedHashSet<>();
        for (String z : Arguments.noNulls("selector.dnsZones", dnsZones)) {
            String zone = Names.normaliseDnsName("selector.dnsZones", z);
            if (zone.startsWith("*.")) {
                throw new IllegalArgumentException("selector.dnsZones entry '" + z + "' is a wildcard: name the zone itself (example.com)");
            }
            zones.add(zone);
        }
        dnsNames = Set.copyOf(names);
        dnsZones = Set.copyOf(zones);
        matchLabels = Arguments.noNulls("selector.matchLabels", matchLabels);
    }

    /** @return the empty selector: matches every name */
    public static SolverSelector any() {
        return new SolverSelector(Set.of(), Set.of(), Map.of());
    }

    /**
     * @param names exact DNS names
     * @return a selector matching only these names
     */
    public static SolverSelector dnsNames(String... names) {
        return new SolverSelector(new LinkedHashSet<>(Arguments.noNulls("selector.dnsNames", names)), Set.of(), Map.of());
    }

    /**
     * @param zones DNS zones
     * @return a selector matching names in these zones
     */
    public static SolverSelector dnsZones(String... zones) {
        return new SolverSelector(Set.of(), new LinkedHashSet<>(Arguments.noNulls("selector.dnsZones", zones)), Map.of());
    }

    /**
     * @param labels labels the certificate must carry
     * @return a selector matching certificates with these labels
     */
    public static SolverSelector matchLabels(Map<String, String> labels) {
        return new SolverSelector(Set.of(), Set.of(), labels);
    }

    /**
     * Whether, and how specifically, this selector matches an identifier of a certificate with the
     * given labels, as cert-manager's selectors ({@code pkg/controller/acmeorders/selectors}) decide:
     * every non-empty list must match ({@code matchLabels} all present with equal values, AND
     * {@code dnsNames} containing the name as written, wildcard included, AND a {@code dnsZones} entry
     * that the name is in or equal to); an empty list matches anything and counts nothing.
     *
     * @param identifier the identifier
     * @param labels the certificate's labels
     * @return how specific the match is, or empty when the selector does not match
     */
    Optional<SelectorMatch> match(Identifier identifier, Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return Optional.empty();
            }
        }
        if ((!dnsNames.isEmpty() || !dnsZones.isEmpty()) && identifier.type() != Identifier.Type.DNS) {
            return Optional.empty(); // IP addresses are in no DNS name list and no zone
        }
        boolean nameMatch = false;
        if (!dnsNames.isEmpty()) {
            if (!dnsNames.contains(identifier.value())) {
                return Optional.empty();
            }
            nameMatch = true;
        }
        int zoneLabels = 0;
        if (!dnsZones.isEmpty()) {
            // dns.CompareDomainName: the most labels of a zone that the name ends with
            String name = identifier.value();
            for (String zone : dnsZones) {
                if (name.equals(zone) || name.endsWith("." + zone)) {
                    zoneLabels = Math.max(zoneLabels, zone.split("\\.").length);
                }
            }
            if (zoneLabels == 0) {
                return Optional.empty();
            }
        }
        return Optional.of(new SelectorMatch(nameMatch, zoneLabels, matchLabels.size()));
    }
}
