package dev.autocert4j.store;

import dev.autocert4j.Certificate;
import java.util.Optional;

/**
 * An optional ability of a {@link CertificateStore}: a save that writes only while the store still
 * holds what the caller read (compare-and-set). The manager reads the store after it takes a
 * certificate's lock and saves through this ability when the store has it, so that a manager whose
 * lock lapsed during a slow save (a long pause, a slow API server) cannot overwrite the certificate
 * that the lock's next holder saved meanwhile: whichever saves second fails instead. Stores whose
 * locks can be lost while their holder runs (Kubernetes Leases) SHOULD implement it.
 *
 * <p>Implementations MUST make the comparison and the write one atomic step (a Kubernetes
 * {@code resourceVersion}, a database row version) and MUST be safe for concurrent use.
 */
public interface ConditionalSave {
    /**
     * Saves {@code stored} unless another certificate was saved since {@code expected} was read.
     *
     * @param certificate the certificate
     * @param expected what {@link CertificateStore#load} returned to the caller: empty when nothing
     *     usable was stored (nothing, a damaged entry, a foreign certificate it may replace)
     * @param stored the certificate to save
     * @throws StoreException (retryable) when another certificate was saved since, which then stays
     *     as it is; or when the store cannot be written
     */
    void saveIfUnchanged(Certificate certificate, Optional<StoredCertificate> expected, StoredCertificate stored)
            throws StoreException;
}
