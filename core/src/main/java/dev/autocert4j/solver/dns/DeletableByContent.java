package dev.autocert4j.solver.dns;

import dev.autocert4j.solver.SolverException;

/**
 * An optional ability of a {@link DnsProvider}, found with {@code instanceof}: deleting TXT records by what
 * they hold rather than by the handle {@link DnsProvider#createTxtRecord} returned. With it, {@link Dns01Solver}
 * records every record as an intent before creating it, and a manager started after a crash removes the record
 * also when the process died after the provider created it but before its handle was stored. Without it, that
 * window stays open: a record created in it is left behind.
 *
 * <p>Contract: {@link #deleteTxtRecords} MUST delete every TXT record at exactly {@code fqdn} whose value is
 * exactly {@code value}, and nothing else (no other type, name or value); it MUST be idempotent (no such record:
 * success); it MUST be safe for concurrent use.
 */
public interface DeletableByContent {
    /**
     * Deletes the TXT records at {@code fqdn} with this value; succeeds when there are none.
     *
     * @param zone the zone {@link TxtRecord#zone()} named when the record was to be created
     * @param fqdn the owner name, lower case, without the trailing dot
     * @param value the TXT value, unquoted
     * @throws SolverException when the records could not be listed or deleted (tried again later)
     */
    void deleteTxtRecords(String zone, String fqdn, String value) throws SolverException;
}
