package dev.autocert4j;

/**
 * Something a store, solver or issuer needs before an order can succeed is missing or refused: a keystore
 * password Secret, an Ingress, a free port, valid DNS provider credentials, a zone. Thrown by a
 * {@link Preflight} check, before any order is placed at the CA; the message names what is missing and what to
 * change. The manager counts it as a failed issuance (backoff, {@code failedIssuanceAttempts}, a {@code Failed}
 * event) and orders nothing.
 *
 * <p>{@linkplain #isRetryable() Retryable} when the same configuration may pass later without a change on this
 * side (a Secret someone is about to create, a port another process will free); not retryable when the
 * configuration itself must change (credentials the provider refuses). Messages never contain credentials.
 */
public class PreflightException extends AutocertException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is missing or refused, and what to change
     * @param retryable whether the check may pass later without a change to the configuration
     */
    public PreflightException(String message, boolean retryable) {
        super(message, retryable);
    }

    /**
     * @param message what is missing or refused, and what to change
     * @param retryable whether the check may pass later without a change to the configuration
     * @param cause the underlying failure
     */
    public PreflightException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }
}
