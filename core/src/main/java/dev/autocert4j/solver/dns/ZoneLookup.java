package dev.autocert4j.solver.dns;

import dev.autocert4j.solver.SolverException;
import java.util.Optional;

/**
 * An optional ability of a {@link DnsProvider}: it knows which of its zones holds a name, so
 * {@link Dns01Solver} need not find the zone by walking SOA records. Useful where the
 * nameservers do not answer SOA queries (split horizons, firewalled nameservers, test servers).
 * {@link Dns01Solver} finds it with {@code instanceof}; a provider that does not implement it
 * still works, with the SOA walk or a {@linkplain Dns01Solver.Builder#zones configured zone}.
 *
 * <p>Implementations MUST be read-only (a lookup changes nothing at the provider), MUST be safe
 * for concurrent use, and MUST NOT put credentials in messages.
 */
public interface ZoneLookup {
    /**
     * Which of the provider's zones holds {@code fqdn}: the longest zone name that equals it or is
     * a suffix of it at a label boundary.
     *
     * @param fqdn a fully qualified name without the trailing dot, e.g. {@code _acme-challenge.www.example.com}
     * @return the zone's apex without the trailing dot, e.g. {@code example.com}; empty when none of
     *     the provider's zones holds the name
     * @throws SolverException when the provider could not be asked
     */
    Optional<String> zoneOf(String fqdn) throws SolverException;
}
