package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Something that happened to a certificate, in cert-manager's event vocabulary.
 *
 * @param type what happened
 * @param certificateId {@code namespace/name} of the certificate
 * @param message a human-readable detail (never a secret)
 * @param at when it happened, by the manager's clock
 */
public record CertificateEvent(Type type, String certificateId, String message, Instant at) {
    /** Event reasons, named as cert-manager names them. */
    public enum Type {
        /** A new private key was generated. */
        GENERATED("Generated"),
        /** An ACME order was placed. */
        ORDER_CREATED("OrderCreated"),
        /** A challenge was presented by a solver. */
        PRESENTED("Presented"),
        /** The CA validated a challenge. */
        DOMAIN_VERIFIED("DomainVerified"),
        /** The CA finalised the order. */
        ORDER_COMPLETE("OrderComplete"),
        /** The certificate was issued and stored. */
        ISSUED("Issued"),
        /** The certificate was renewed (re-issued while a valid one was stored). */
        RENEWED("Renewed"),
        /** Issuance failed; the message says when the next attempt is made. */
        FAILED("Failed"),
        /** The certificate was revoked at the CA. */
        REVOKED("Revoked");

        private final String reason;

        Type(String reason) {
            this.reason = reason;
        }

        /** @return the reason as cert-manager writes it ({@code OrderCreated}) */
        public String reason() {
            return reason;
        }
    }

    /**
     * Validates and copies the components.
     *
     * @param type see the record description
     * @param certificateId see the record description
     * @param message see the record description
     * @param at see the record description
     */
    public CertificateEvent {
        requireNonNull(type, "type");
        requireNonNull(certificateId, "certificateId");
        requireNonNull(message, "message");
        requireNonNull(at, "at");
    }
}
