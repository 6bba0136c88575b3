package dev.autocert4j.solver.dns;

import dev.autocert4j.PreflightException;
import java.util.Set;

/**
 * An optional ability of a {@link DnsProvider}: before an order, it checks that its credentials are valid and
 * that it can write TXT records into the zones the order's records would go to. {@link Dns01Solver} finds it
 * with {@code instanceof} during its {@linkplain dev.autocert4j.Preflight preflight}, after it found each
 * record's zone as it would when presenting.
 *
 * <p>Implementations MUST NOT change anything at the provider (read and query only), MUST be safe for
 * concurrent use, MAY remember a successful credential check for a short while, and MUST NOT put credentials
 * into messages.
 */
public interface ZonePreflight {
    /**
     * Checks the credentials, and that each zone is one this provider can write to.
     *
     * @param zones zone apexes without the trailing dot, e.g. {@code example.com}; empty when the solver could
     *     not find the zones (then only the credentials are checked)
     * @throws PreflightException naming what the provider refused or lacks, and what to change
     * @throws InterruptedException when interrupted while waiting for an answer
     */
    void preflight(Set<String> zones) throws PreflightException, InterruptedException;
}
