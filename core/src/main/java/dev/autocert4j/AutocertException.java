package dev.autocert4j;

/**
 * The checked root of every failure autocert4j reports while obtaining, storing or renewing a
 * certificate. Configuration mistakes are {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead, thrown at once when the configuration is built.
 *
 * <p>Messages never contain private keys, account keys or API tokens.
 */
public class AutocertException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    /**
     * @param message what failed and, where the caller can act, what to change
     * @param retryable whether trying the same operation again later may succeed
     */
    public AutocertException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /**
     * @param message what failed and, where the caller can act, what to change
     * @param retryable whether trying the same operation again later may succeed
     * @param cause the underlying failure
     */
    public AutocertException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * Whether the same operation may succeed when tried again later, unchanged: true for network
     * failures, rate limits and server errors; false for refusals that need a change first.
     *
     * @return true if a retry can help
     */
    public boolean isRetryable() {
        return retryable;
    }
}
