package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import java.time.Instant;

/**
 * What a store keeps beside the chain and key.
 *
 * @param specFingerprint {@link Certificate#specFingerprint()} of the spec it was issued for
 * @param issuerName the issuer that signed it
 * @param revision 1 for the first issuance, +1 for each re-issuance
 * @param issuedAt when it was stored
 */
public record CertificateMetadata(String specFingerprint, String issuerName, int revision, Instant issuedAt) {
    /**
     * Validates and copies the components.
     *
     * @param specFingerprint see the record description
     * @param issuerName see the record description
     * @param revision see the record description
     * @param issuedAt see the record description
     */
    public CertificateMetadata {
        requireNonNull(specFingerprint, "specFingerprint");
        requireNonNull(issuerName, "issuerName");
        requireNonNull(issuedAt, "issuedAt");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be at least 1, was " + revision);
        }
    }
}
