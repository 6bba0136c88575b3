package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.store.StoredCertificate;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a certificate, in cert-manager's event vocabulary, with the facts a
 * listener acts on as fields: which issuer, and which certificate (serial, expiry) when one
 * applies. The message repeats them for people. Immutable and thread-safe.
 *
 * <p>Which fields are present, by type: {@link Type#ISSUED} and {@link Type#RENEWED} carry the new
 * certificate's serial number, expiry and issuer; {@link Type#REVOKED} those of the revoked
 * certificate; the ACME steps ({@link Type#ORDER_CREATED} ... {@link Type#ORDER_COMPLETE}) and
 * {@link Type#FAILED} the issuer when one was asked; {@link Type#GENERATED} none. More types and
 * fields may be added.
 */
public final class CertificateEvent {
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

    private final Type type;
    private final String certificateId;
    private final String message;
    private final Instant at;
    private final String issuerName;
    private final BigInteger serialNumber;
    private final Instant notAfter;

    /**
     * An event without issuer or certificate details; {@link #builder} adds them.
     *
     * @param type what happened
     * @param certificateId {@code namespace/name} of the certificate
     * @param message a human-readable detail (never a secret)
     * @param at when it happened, by the manager's clock
     */
    public CertificateEvent(Type type, String certificateId, String message, Instant at) {
        this(builder(type, certificateId, message, at));
    }

    private CertificateEvent(Builder b) {
        this.type = b.type;
        this.certificateId = b.certificateId;
        this.message = b.message;
        this.at = b.at;
        this.issuerName = b.issuerName;
        this.serialNumber = b.serialNumber;
        this.notAfter = b.notAfter;
    }

    /**
     * @param type what happened
     * @param certificateId {@code namespace/name} of the certificate
     * @param message a human-readable detail (never a secret)
     * @param at when it happened, by the manager's clock
     * @return a builder for the optional details
     */
    public static Builder builder(Type type, String certificateId, String message, Instant at) {
        return new Builder(type, certificateId, message, at);
    }

    /** @return what happened */
    public Type type() {
        return type;
    }

    /** @return {@code namespace/name} of the certificate */
    public String certificateId() {
        return certificateId;
    }

    /** @return a human-readable detail (never a secret) */
    public String message() {
        return message;
    }

    /** @return when it happened, by the manager's clock */
    public Instant at() {
        return at;
    }

    /** @return the name of the issuer concerned, when one is */
    public Optional<String> issuerName() {
        return Optional.ofNullable(issuerName);
    }

    /** @return the serial number of the certificate concerned, when one is */
    public Optional<BigInteger> serialNumber() {
        return Optional.ofNullable(serialNumber);
    }

    /** @return the notAfter of the certificate concerned, when one is */
    public Optional<Instant> notAfter() {
        return Optional.ofNullable(notAfter);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateEvent e && type == e.type && certificateId.equals(e.certificateId)
                && message.equals(e.message) && at.equals(e.at) && Objects.equals(issuerName, e.issuerName)
                && Objects.equals(serialNumber, e.serialNumber) && Objects.equals(notAfter, e.notAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, certificateId, message, at, issuerName, serialNumber, notAfter);
    }

    @Override
    public String toString() {
        return "CertificateEvent[type=" + type + ", certificateId=" + certificateId + ", at=" + at
                + issuerName().map(n -> ", issuerName=" + n).orElse("")
                + serialNumber().map(s -> ", serialNumber=" + s.toString(16)).orElse("")
                + notAfter().map(n -> ", notAfter=" + n).orElse("") + ", message=" + message + "]";
    }

    /** Builds a {@link CertificateEvent}; details left unset are absent. Not thread-safe. */
    public static final class Builder {
        private final Type type;
        private final String certificateId;
        private final String message;
        private final Instant at;
        private String issuerName;
        private BigInteger serialNumber;
        private Instant notAfter;

        private Builder(Type type, String certificateId, String message, Instant at) {
            this.type = requireNonNull(type, "type");
            this.certificateId = requireNonNull(certificateId, "certificateId");
            this.message = requireNonNull(message, "message");
            this.at = requireNonNull(at, "at");
        }

        /**
         * @param issuerName the name of the issuer concerned
         * @return this builder
         */
        public Builder issuerName(String issuerName) {
            this.issuerName = requireNonNull(issuerName, "issuerName");
            return this;
        }

        /**
         * @param serialNumber the serial number of the certificate concerned
         * @return this builder
         */
        public Builder serialNumber(BigInteger serialNumber) {
            this.serialNumber = requireNonNull(serialNumber, "serialNumber");
            return this;
        }

        /**
         * @param notAfter the notAfter of the certificate concerned
         * @return this builder
         */
        public Builder notAfter(Instant notAfter) {
            this.notAfter = requireNonNull(notAfter, "notAfter");
            return this;
        }

        /**
         * Sets serial number, notAfter and issuer name from a stored certificate.
         *
         * @param stored the certificate concerned
         * @return this builder
         */
        public Builder certificate(StoredCertificate stored) {
            requireNonNull(stored, "stored");
            return serialNumber(stored.leaf().getSerialNumber()).notAfter(stored.notAfter())
                    .issuerName(stored.metadata().issuerName());
        }

        /** @return the event */
        public CertificateEvent build() {
            return new CertificateEvent(this);
        }
    }
}
