package dev.autocert4j.solver;

/**
 * How specifically a {@link SolverSelector} matched an identifier, ordered as cert-manager's solver
 * picker ({@code pkg/util/solverpicker/solverpicker.go}) compares two matching solvers: a
 * {@code dnsNames} match first, then the number of labels of the matching zone, then the number of
 * {@code matchLabels}. Several matching {@code dnsNames} count as one, as there.
 *
 * @param dnsName whether a non-empty {@code dnsNames} list contains the name
 * @param zoneLabels labels of the longest matching {@code dnsZones} entry, 0 without one
 * @param labels how many {@code matchLabels} the certificate carries
 */
record SelectorMatch(boolean dnsName, int zoneLabels, int labels) implements Comparable<SelectorMatch> {
    @Override
    public int compareTo(SelectorMatch other) {
        if (dnsName != other.dnsName) {
            return dnsName ? 1 : -1;
        }
        if (zoneLabels != other.zoneLabels) {
            return Integer.compare(zoneLabels, other.zoneLabels);
        }
        return Integer.compare(labels, other.labels);
    }
}
