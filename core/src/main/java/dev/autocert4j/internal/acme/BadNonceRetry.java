package dev.autocert4j.internal.acme;

import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an ACME call the CA refused with {@code badNonce}. acme4j already retries ten times;
 * a CA that rejects half of all nonces (Pebble's {@code PEBBLE_WFE_NONCEREJECT=50}, or a load
 * balancer whose nodes do not share nonces) still exhausts that now and then over hundreds of
 * requests, and a fresh nonce is all it takes.
 */
public final class BadNonceRetry {
    private static final Logger LOG = LoggerFactory.getLogger(BadNonceRetry.class);
    private static final int ATTEMPTS = 5;

    /** One ACME call. */
    @FunctionalInterface
    public interface Call<T> {
        /**
         * @return the call's result
         * @throws AcmeException when the CA refuses
         */
        T run() throws AcmeException;
    }

    private BadNonceRetry() {
    }

    /**
     * @param <T> the result type
     * @param call the call
     * @return its result
     * @throws AcmeException the last failure, or a failure other than badNonce at once
     */
    public static <T> T call(Call<T> call) throws AcmeException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (AcmeServerException e) {
                if (attempt >= ATTEMPTS || !String.valueOf(e.getType()).endsWith(":badNonce")) {
                    throw e;
                }
                LOG.debug("badNonce after acme4j's own retries; attempt {} of {}", attempt + 1, ATTEMPTS);
            }
        }
    }
}
