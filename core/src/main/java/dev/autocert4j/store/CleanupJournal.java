package dev.autocert4j.store;

import java.util.List;

/**
 * An optional ability of a {@link CertificateStore}: a durable journal of what solvers presented (DNS records,
 * Ingress rules), written before a challenge is triggered, so that the next process removes what a process that
 * died mid-order left behind. Implementations MUST be safe for concurrent use, also across processes sharing
 * the store.
 */
public interface CleanupJournal {
    /**
     * Remembers something a solver presented, durably, before the challenge is triggered.
     * Recording the same entry twice keeps one.
     *
     * @param cleanup what to remove later
     * @throws StoreException when it could not be written
     */
    void recordPendingCleanup(PendingCleanup cleanup) throws StoreException;

    /**
     * Forgets an entry after it was removed; forgetting an unknown entry does nothing.
     *
     * @param cleanup an entry {@link #recordPendingCleanup} recorded
     * @throws StoreException when it could not be written
     */
    void removePendingCleanup(PendingCleanup cleanup) throws StoreException;

    /**
     * @return every recorded, not yet removed entry, of every certificate, in no particular order
     * @throws StoreException when reading fails
     */
    List<PendingCleanup> pendingCleanups() throws StoreException;
}
