package dev.autocert4j;

import java.security.KeyPair;
import java.util.List;
import java.util.Optional;

/**
 * Persists issued certificates and ACME account keys.
 *
 * <p>Implementations MUST be safe for concurrent use. {@link #save} MUST be atomic: a reader sees
 * the old certificate or the new one, never a mix, also when the process dies halfway. A load
 * that finds damaged content MUST fail with a {@link StoreException} naming the damaged file or
 * object, never return half a certificate. Keys MUST NOT appear in exceptions or logs.
 */
public interface CertificateStore {
    /**
     * @param certificate the certificate whose stored state to read (stores key it by namespace
     *     and name, or by secretName)
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
     * @param ref the account key's reference
     * @return the stored account key pair, if any
     * @throws StoreException when reading fails or the content is damaged
     */
    Optional<KeyPair> loadAccountKey(AccountKeyRef ref) throws StoreException;

    /**
     * Stores an account key unless one is already stored, atomically: when two processes race,
     * both get the same key back, so both use one ACME account.
     *
     * @param ref the account key's reference
     * @param candidate the key to store if none exists
     * @return the key now stored: {@code candidate}, or the one that was there first
     * @throws StoreException when writing fails
     */
    KeyPair saveAccountKeyIfAbsent(AccountKeyRef ref, KeyPair candidate) throws StoreException;

    /**
     * The lock provider that coordinates processes sharing this store: a file lock for a file
     * store, a Lease for a Kubernetes store. The default is in-JVM only.
     *
     * @return a lock provider matching this store's reach
     */
    default LockProvider defaultLockProvider() {
        return LockProvider.inJvm();
    }

    /**
     * Remembers something a solver presented, durably, before the challenge is triggered.
     * Recording the same entry twice keeps one. Stores that keep state across restarts SHOULD
     * implement the three pending-cleanup methods; without them a process that dies mid-order
     * leaves its DNS records behind.
     *
     * @param cleanup what to remove later
     * @throws StoreException when it could not be written
     * @throws UnsupportedOperationException by default
     */
    default void recordPendingCleanup(PendingCleanup cleanup) throws StoreException {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not record pending cleanups: records presented by a process that dies are not removed by the next one");
    }

    /**
     * Forgets an entry after it was removed; forgetting an unknown entry does nothing.
     *
     * @param cleanup an entry {@link #recordPendingCleanup} recorded
     * @throws StoreException when it could not be written
     * @throws UnsupportedOperationException by default
     */
    default void removePendingCleanup(PendingCleanup cleanup) throws StoreException {
        throw new UnsupportedOperationException(getClass().getName() + " does not record pending cleanups");
    }

    /**
     * @return every recorded, not yet removed entry, of every certificate, in no particular order
     * @throws StoreException when reading fails
     * @throws UnsupportedOperationException by default
     */
    default List<PendingCleanup> pendingCleanups() throws StoreException {
        throw new UnsupportedOperationException(getClass().getName() + " does not record pending cleanups");
    }

    /**
     * Loads the failed issuance attempts recorded for a certificate.
     *
     * <p>A store that does not implement this (the default throws
     * {@link UnsupportedOperationException}) still works; the manager then keeps the failures in
     * memory, and a restarted process starts its backoff over.
     *
     * @param certificate the certificate
     * @return the recorded failures, or empty when the last attempt succeeded or none was made
     * @throws StoreException when the store cannot be read
     */
    default Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not record issuance failures: a restarted process starts its backoff over");
    }

    /**
     * Records the failed issuance attempts of a certificate, replacing what was recorded.
     *
     * @param certificate the certificate
     * @param failures the failures to keep
     * @throws StoreException when the store cannot be written
     */
    default void saveFailures(Certificate certificate, IssuanceFailures failures) throws StoreException {
        throw new UnsupportedOperationException(getClass().getName() + " does not record issuance failures");
    }

    /**
     * Forgets the failures of a certificate, after a successful issuance; does nothing when none
     * are recorded.
     *
     * @param certificate the certificate
     * @throws StoreException when the store cannot be written
     */
    default void clearFailures(Certificate certificate) throws StoreException {
        throw new UnsupportedOperationException(getClass().getName() + " does not record issuance failures");
    }
}
