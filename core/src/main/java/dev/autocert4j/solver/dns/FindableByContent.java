package dev.autocert4j.solver.dns;

import dev.autocert4j.solver.SolverException;

/**
 * An optional ability of a {@link DnsProvider} that is also {@link DeletableByContent}, found with {@code instanceof}:
 * telling whether a TXT record with exactly this name and value exists. {@link Dns01Solver} asks before it journals
 * the intent to create a record: a record that is there already (someone else's, for example another process
 * presenting the same authorization) is used as it is, with no intent journalled and no create call, so nothing
 * deletes it, also not after a crash. Without this ability the solver journals the intent first and the provider's
 * create finds the record ({@link DnsProvider#EXISTING_RECORD}); a process killed after that create returned but
 * before its answer was journalled leaves only the intent, and the next manager deletes the identical record by
 * content.
 *
 * <p>What stays open with it: a record with the same name and value that someone else adds after this check and
 * before the create, when the process is then killed before the create's answer is journalled.
 *
 * <p>Contract: {@link #hasTxtRecord} MUST answer from where the provider writes (its API, the primary nameserver),
 * not from a cache or a resolver; it MUST change nothing; it MUST be safe for concurrent use and MUST NOT put
 * credentials in messages.
 */
public interface FindableByContent {
    /**
     * Whether a TXT record at exactly {@code fqdn} with exactly {@code value} exists.
     *
     * @param zone the zone {@link TxtRecord#zone()} names for the record about to be created
     * @param fqdn the owner name, lower case, without the trailing dot
     * @param value the TXT value, unquoted
     * @return whether such a record exists now
     * @throws SolverException when the provider could not be asked (the record is then not created)
     */
    boolean hasTxtRecord(String zone, String fqdn, String value) throws SolverException;
}
