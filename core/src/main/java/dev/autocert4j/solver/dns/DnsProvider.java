package dev.autocert4j.solver.dns;

import dev.autocert4j.solver.SolverException;
import java.util.Map;

/**
 * The extension point for DNS providers: create one TXT record, delete it again. Everything else
 * (challenge names, CNAME delegation, finding the zone, waiting for propagation, cleanup on
 * failure and after a crash) is done by {@link Dns01Solver}, which wraps any provider.
 *
 * <p>A minimal provider:
 * <pre>{@code
 * public final class MyDnsProvider implements DnsProvider {
 *     private final MyDnsApi api;
 *
 *     public String id() {
 *         return "mydns/" + api.accountId();
 *     }
 *
 *     public String createTxtRecord(TxtRecord record) throws SolverException {
 *         return api.createTxt(record.zone(), record.fqdn(), record.value(), record.ttl().toSeconds());
 *     }
 *
 *     public void deleteTxtRecord(String handle) throws SolverException {
 *         api.deleteRecord(handle); // the record id; a record that is gone already is fine
 *     }
 * }
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #createTxtRecord} MUST add one TXT record with exactly this value and MUST NOT
 *       remove or change other TXT records at the same name (an SPF record, another challenge
 *       for the same name in a wildcard order). It returns a handle that identifies exactly that
 *       record. When a record with exactly this name and value is there already, it SHOULD create
 *       nothing and return {@link #EXISTING_RECORD}, so that nobody deletes a record someone else
 *       made (another process presenting the same authorization).</li>
 *   <li>The handle MUST be enough for {@link #deleteTxtRecord} to delete exactly that record
 *       later, also in another process after a restart, with a provider configured the same way
 *       (same {@link #id()}). It is stored in plain text and MUST NOT contain secrets.</li>
 *   <li>{@link #deleteTxtRecord} MUST be idempotent: deleting a record that is already gone
 *       succeeds.</li>
 *   <li>A provider SHOULD also implement {@link DeletableByContent}: without it, a process killed between
 *       {@link #createTxtRecord} and the moment its handle is stored leaves the record behind.</li>
 *   <li>{@link #deleteTxtRecord} is also handed handles read back from the store, which whoever can write the
 *       store may have forged: it SHOULD delete only TXT records this provider could have created.</li>
 *   <li>Implementations MUST be safe for concurrent use and MUST NOT log or print credentials,
 *       also not in {@code toString()} or exception messages.</li>
 * </ul>
 */
public interface DnsProvider {
    /**
     * What {@link #createTxtRecord} returns when a TXT record with exactly this name and value existed before the
     * call, so that it created nothing. {@link Dns01Solver} then deletes nothing for that challenge, neither after
     * validation nor after a crash: the record belongs to whoever made it. {@link #deleteTxtRecord} is never
     * handed it by the solver, and SHOULD do nothing when it is.
     */
    String EXISTING_RECORD = "autocert4j:existing-record";

    /**
     * A stable identifier of this provider and the account or server it writes to, the same in
     * every process configured the same way, e.g. {@code rfc2136/127.0.0.1:53}. Durable cleanup
     * matches stored record handles to providers by it. MUST NOT contain secrets.
     *
     * @return the provider's id
     */
    String id();

    /**
     * Creates one TXT record.
     *
     * @param record the record to create
     * @return an opaque handle that deletes exactly this record
     * @throws SolverException when the record could not be created
     */
    String createTxtRecord(TxtRecord record) throws SolverException;

    /**
     * Deletes the record a {@link #createTxtRecord} call created; succeeds when it is gone
     * already.
     *
     * @param handle the handle {@link #createTxtRecord} returned
     * @throws SolverException when the record could not be deleted
     */
    void deleteTxtRecord(String handle) throws SolverException;

    /**
     * Creates providers by name, for configuration files and for {@link DnsProviders#byName}.
     * Register an implementation in {@code META-INF/services/dev.autocert4j.solver.dns.DnsProvider$Factory}
     * (class path) or with {@code provides dev.autocert4j.solver.dns.DnsProvider.Factory with ...}
     * in {@code module-info.java}. Implementations MUST have a public no-argument constructor and
     * be thread-safe.
     */
    interface Factory {
        /** @return the name users select the provider by, lower case, e.g. {@code rfc2136}, {@code cloudflare} */
        String name();

        /**
         * @param config the provider's settings (names are documented by each provider); values
         *     may hold credentials, which MUST NOT appear in exception messages
         * @return a new provider
         * @throws IllegalArgumentException when a setting is missing or invalid, naming the setting
         */
        DnsProvider create(Map<String, String> config);
    }
}
