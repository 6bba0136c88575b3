package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.util.Map;
import java.util.Optional;

/** Whether another writer saved a certificate Secret since the caller read it ({@code saveIfUnchanged}). Stateless. */
public final class ConcurrentSaves {
    private ConcurrentSaves() {
    }

    /**
     * Refuses when the Secret holds a certificate of ours other than the expected one: another writer saved it.
     *
     * @param annotations the Secret's annotations, as read for the write
     * @param expected what the caller read
     * @param id the Secret as {@code namespace/name}, for the message
     * @throws StoreException (retryable) when another writer saved another certificate
     */
    public static void requireUnchanged(Map<String, String> annotations, Optional<StoredCertificate> expected, String id)
            throws StoreException {
        if (!annotations.containsKey(SecretCodec.FINGERPRINT) || annotations.containsKey(SecretCodec.DAMAGED)) {
            return; // nothing of ours (absent, cert-manager's, set aside): load gave the caller nothing else either
        }
        CertificateMetadata now;
        try {
            now = SecretCodec.metadata(annotations);
        } catch (RuntimeException e) {
            return; // unreadable: load sets it aside, and so it may be written over
        }
        if (expected.isEmpty() || !expected.get().metadata().equals(now)) {
            throw new StoreException("Secret " + id + " was saved by another writer since this certificate was read (it now "
                    + "holds revision " + now.revision() + " from issuer " + now.issuerName() + ", issued at " + now.issuedAt()
                    + "); it was not overwritten: the next attempt reads it", true, null);
        }
    }
}
