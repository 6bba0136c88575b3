package dev.autocert4j.store;

import dev.autocert4j.Certificate;
import java.util.Optional;

/**
 * An optional ability of a {@link CertificateStore}: it records failed issuance attempts, so that the backoff
 * after failures (and a CA's Retry-After) outlives a restart and is shared by every replica. Without it the
 * manager keeps failures in memory. Implementations MUST be safe for concurrent use.
 */
public interface FailureRecords {
    /**
     * Loads the failed issuance attempts recorded for a certificate.
     *
     * @param certificate the certificate
     * @return the recorded failures, or empty when the last attempt succeeded or none was made
     * @throws StoreException when the store cannot be read
     */
    Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException;

    /**
     * Records the failed issuance attempts of a certificate, replacing what was recorded.
     *
     * @param certificate the certificate
     * @param failures the failures to keep
     * @throws StoreException when the store cannot be written
     */
    void saveFailures(Certificate certificate, IssuanceFailures failures) throws StoreException;

    /**
     * Forgets the failures of a certificate, after a successful issuance; does nothing when none
     * are recorded.
     *
     * @param certificate the certificate
     * @throws StoreException when the store cannot be written
     */
    void clearFailures(Certificate certificate) throws StoreException;
}
