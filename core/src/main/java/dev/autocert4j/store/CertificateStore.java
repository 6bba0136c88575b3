package dev.autocert4j.store;

import dev.autocert4j.Certificate;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.lock.LockProvider;
import java.util.Optional;

/**
 * Persists issued certificates and ACME account keys.
 *
 * <p>Implementations MUST be safe for concurrent use. {@link #save} MUST be atomic: a reader sees
 * the old certificate or the new one, never a mix, also when the process dies halfway. A load
 * that finds damaged content MUST fail with a {@link StoreException} naming the damaged file or
 * object, never return half a certificate. Keys MUST NOT appear in exceptions or logs.
 *
 * <p><b>The key.</b> A store MUST key certificates by {@link Certificate#namespace()} and
 * {@link Certificate#secretName()}, cert-manager's rule (the Secret is the unit of storage): two certificates
 * with the same secretName in one namespace share one stored entry, whatever their names; the same
 * secretName in two namespaces are two entries. {@code CertificateStoreContract} checks this for every store.
 *
 * <p><b>Optional abilities</b> are small interfaces a store implements beside this one, found with
 * {@code instanceof}: {@link AccountKeys} (without it an ACME account key lives as long as the process),
 * {@link CleanupJournal} (without it a process that dies mid-order leaves its DNS records behind) and
 * {@link FailureRecords} (without it a restarted process starts its backoff over). Stores that keep state
 * across restarts SHOULD implement all three. {@link ConditionalSave} (a save that fails when another
 * certificate was saved since the manager read the store under its lock) is for stores whose lock can lapse
 * while its holder still runs.
 */
public interface CertificateStore {
    /**
     * @param certificate the certificate whose stored state to read (by namespace and secretName)
     * @return the stored certificate, if one was saved
     * @throws StoreException when reading fails or the content is damaged
     */
    Optional<StoredCertificate> load(Certificate certificate) throws StoreException;

    /**
     * Replaces the stored certificate atomically.
     *
     * @param certificate the spec it was issued for
     * @param stored the chain, key and metadata
     * @throws StoreException when writing fails; the previously stored certificate is then intact
     */
    void save(Certificate certificate, StoredCertificate stored) throws StoreException;

    /**
     * The lock provider that coordinates processes sharing this store: a file lock for a file
     * store, a Lease for a Kubernetes store. The default is in-JVM only.
     *
     * @return a lock provider matching this store's reach
     */
    default LockProvider defaultLockProvider() {
        return LockProvider.inJvm();
    }
}
