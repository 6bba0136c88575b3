package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What a manager knows about one certificate, as cert-manager's {@code Certificate.status}.
 *
 * @param certificateId the certificate's {@code namespace/name}
 * @param ready whether a valid certificate for the current spec is stored ({@code Ready})
 * @param issuing whether an issuance is due or running ({@code Issuing})
 * @param notBefore the stored certificate's start of validity
 * @param notAfter the stored certificate's end of validity
 * @param renewalTime when the stored certificate is renewed
 * @param revision the stored certificate's revision, 0 when none is stored
 * @param failedIssuanceAttempts failed attempts since the last success
 * @param lastFailureTime when the last attempt failed
 * @param nextAttempt when the next attempt is made, after a failure
 */
public record CertificateStatus(String certificateId, Condition ready, Condition issuing, Optional<Instant> notBefore,
        Optional<Instant> notAfter, Optional<Instant> renewalTime, int revision, int failedIssuanceAttempts,
        Optional<Instant> lastFailureTime, Optional<Instant> nextAttempt) {
    /**
     * Checks the fields.
     *
     * @param certificateId see the record description
     * @param ready see the record description
     * @param issuing see the record description
     * @param notBefore see the record description
     * @param notAfter see the record description
     * @param renewalTime see the record description
     * @param revision see the record description
     * @param failedIssuanceAttempts see the record description
     * @param lastFailureTime see the record description
     * @param nextAttempt see the record description
     */
    public CertificateStatus {
        requireNonNull(certificateId, "certificateId");
        requireNonNull(ready, "ready");
        requireNonNull(issuing, "issuing");
        requireNonNull(notBefore, "notBefore");
        requireNonNull(notAfter, "notAfter");
        requireNonNull(renewalTime, "renewalTime");
        requireNonNull(lastFailureTime, "lastFailureTime");
        requireNonNull(nextAttempt, "nextAttempt");
    }

    /** @return whether the {@code Ready} condition is true */
    public boolean isReady() {
        return ready.status() == ConditionStatus.TRUE;
    }

    /** The value of a condition, as Kubernetes spells it. */
    public enum ConditionStatus {
        /** The condition holds. */
        TRUE,
        /** The condition does not hold. */
        FALSE,
        /** Not known yet. */
        UNKNOWN
    }

    /**
     * One condition.
     *
     * @param status whether it holds
     * @param reason a CamelCase reason ({@code Ready}, {@code DoesNotExist}, {@code Expired},
     *     {@code SpecChanged}, {@code Renewing}, {@code Failed}, ...)
     * @param message what happened, for people
     */
    public record Condition(ConditionStatus status, String reason, String message) {
        /**
         * Checks the fields.
         *
         * @param status see the record description
         * @param reason see the record description
         * @param message see the record description
         */
        public Condition {
            requireNonNull(status, "status");
            requireNonNull(reason, "reason");
            requireNonNull(message, "message");
        }
    }
}
