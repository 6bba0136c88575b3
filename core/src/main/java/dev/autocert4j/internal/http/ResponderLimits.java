package dev.autocert4j.internal.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What one hostile client can hold of the standalone responder.
 *
 * @param maxConnections connections open at once; a new one beyond it closes the oldest
 * @param connectionDeadline how long a connection may live from accept to close: reading the
 *     request head, writing the answer and waiting for the client to close
 * @param maxRequestHeadBytes the longest request line plus headers; a longer head gets {@code 431}
 */
public record ResponderLimits(int maxConnections, Duration connectionDeadline, int maxRequestHeadBytes) {
    /** The limits of {@code Http01Solver}'s standalone responder. */
    public static final ResponderLimits DEFAULT = new ResponderLimits(1024, Duration.ofSeconds(5), 8192);

    /**
     * Checks the limits.
     *
     * @param maxConnections connections open at once, at least 1
     * @param connectionDeadline a connection's life, positive
     * @param maxRequestHeadBytes the longest request head, at least 64
     */
    public ResponderLimits {
        requireNonNull(connectionDeadline, "connectionDeadline");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        if (connectionDeadline.isNegative() || connectionDeadline.isZero()) {
            throw new IllegalArgumentException("connectionDeadline must be positive, not " + connectionDeadline);
        }
        if (maxRequestHeadBytes < 64) {
            throw new IllegalArgumentException("maxRequestHeadBytes must be at least 64, not " + maxRequestHeadBytes);
        }
    }
}
