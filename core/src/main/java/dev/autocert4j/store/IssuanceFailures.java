package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import java.time.Instant;

/**
 * The failed issuance attempts of one certificate since its last success, as the store keeps them
 * so that a restarted (or another) manager does not hammer the CA: cert-manager's
 * {@code status.failedIssuanceAttempts} and {@code status.lastFailureTime}, plus the time before
 * which no new attempt is made.
 *
 * @param specFingerprint the {@link Certificate#specFingerprint()} the attempts were made for; a
 *     changed spec is retried at once, whatever the backoff
 * @param attempts how many attempts failed in a row, at least 1
 * @param lastFailureTime when the last attempt failed
 * @param nextAttempt the earliest time of the next attempt (backoff, or the CA's Retry-After)
 * @param lastMessage why the last attempt failed (an exception message: never holds secrets)
 */
public record IssuanceFailures(String specFingerprint, int attempts, Instant lastFailureTime, Instant nextAttempt,
        String lastMessage) {
    /**
     * Checks the fields.
     *
     * @param specFingerprint see the record description
     * @param attempts see the record description
     * @param lastFailureTime see the record description
     * @param nextAttempt see the record description
     * @param lastMessage see the record description
     */
    public IssuanceFailures {
        requireNonNull(specFingerprint, "specFingerprint");
        requireNonNull(lastFailureTime, "lastFailureTime");
        requireNonNull(nextAttempt, "nextAttempt");
        requireNonNull(lastMessage, "lastMessage");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        if (nextAttempt.isBefore(lastFailureTime)) {
            throw new IllegalArgumentException("nextAttempt " + nextAttempt + " is before lastFailureTime " + lastFailureTime);
        }
    }

    /**
     * @param certificate the certificate as it is now
     * @param now the current time
     * @return whether the backoff forbids an attempt for this spec at {@code now}
     */
    public boolean holdsBack(Certificate certificate, Instant now) {
        return specFingerprint.equals(certificate.specFingerprint()) && now.isBefore(nextAttempt);
    }
}
