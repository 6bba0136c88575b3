package dev.autocert4j.issuer;

import dev.autocert4j.AutocertException;
import java.time.Instant;
import java.util.Optional;

/** The CA refused the request because a rate limit was hit; retry after {@link #retryAfter()}. */
public class RateLimitedException extends AutocertException {
    private static final long serialVersionUID = 1L;

    private final Instant retryAfter;

    /**
     * @param message the CA's explanation
     * @param retryAfter when the CA said a retry may succeed, or null if it did not say
     * @param cause the underlying failure
     */
    public RateLimitedException(String message, Instant retryAfter, Throwable cause) {
        super(message, true, cause);
        this.retryAfter = retryAfter;
    }

    /** @return the earliest time the CA accepts a retry, when it said so */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
