package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * What a store keeps beside the chain and key. Every store MUST keep every component, also
 * {@code revokedAt}: a revoked certificate that reads back unrevoked would be served again.
 *
 * @param specFingerprint {@link Certificate#specFingerprint()} of the spec it was issued for
 * @param issuerName the issuer that signed it
 * @param revision 1 for the first issuance, +1 for each re-issuance
 * @param issuedAt when it was stored
 * @param revokedAt when it was revoked through the manager; a revoked certificate is never
 *     returned by {@code obtain} nor served, whatever its dates
 */
public record CertificateMetadata(String specFingerprint, String issuerName, int revision, Instant issuedAt,
        Optional<Instant> revokedAt) {
    /**
     * Validates and copies the components.
     *
     * @param specFingerprint see the record description
     * @param issuerName see the record description
     * @param revision see the record description
     * @param issuedAt see the record description
     * @param revokedAt see the record description
     */
    public CertificateMetadata {
        requireNonNull(specFingerprint, "specFingerprint");
        requireNonNull(issuerName, "issuerName");
        requireNonNull(issuedAt, "issuedAt");
        requireNonNull(revokedAt, "revokedAt");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be at least 1, was " + revision);
        }
    }

    /**
     * Metadata of a certificate that was not revoked.
     *
     * @param specFingerprint see the record description
     * @param issuerName see the record description
     * @param revision see the record description
     * @param issuedAt see the record description
     */
    public CertificateMetadata(String specFingerprint, String issuerName, int revision, Instant issuedAt) {
        this(specFingerprint, issuerName, revision, issuedAt, Optional.empty());
    }

    /**
     * @param when when the certificate was revoked
     * @return these metadata, marked revoked
     */
    public CertificateMetadata withRevokedAt(Instant when) {
        return new CertificateMetadata(specFingerprint, issuerName, revision, issuedAt, Optional.of(when));
    }

    /** @return whether the certificate was revoked */
    public boolean isRevoked() {
        return revokedAt.isPresent();
    }
}
