package dev.autocert4j.solver;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Identifier;
import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.internal.x509.Names;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which names a solver is used for: cert-manager's {@code solvers[].selector}. An empty selector
 * ({@link #any()}) matches everything and is the fallback.
 *
 * <p>Precedence when several solvers match a name, as in cert-manager: a {@code dnsNames} match
 * wins over a {@code dnsZones} match, a longer (more specific) zone wins over a shorter one, more
 * {@code matchLabels} win over fewer, and among equals the solver configured first wins.
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
     * How well this selector matches an identifier of a certificate with the given labels.
     *
     * @param identifier the identifier
     * @param labels the certificate's labels
     * @return a score (higher wins), or -1 when the selector does not match
     */
    long score(Identifier identifier, Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return -1;
            }
        }
        long labelScore = matchLabels.size();
        if (dnsNames.isEmpty() && dnsZones.isEmpty()) {
            return labelScore;
        }
        if (identifier.type() != Identifier.Type.DNS) {
            return -1;
        }
        if (dnsNames.contains(identifier.value())) {
            return (1L << 40) + labelScore;
        }
        String base = identifier.baseName();
        int longest = -1;
        for (String zone : dnsZones) {
            if (base.equals(zone) || base.endsWith("." + zone)) {
                longest = Math.max(longest, zone.length());
            }
        }
        return longest < 0 ? -1 : ((long) (longest + 1) << 20) + labelScore;
    }
}
