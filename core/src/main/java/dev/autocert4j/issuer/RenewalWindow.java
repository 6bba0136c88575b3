package dev.autocert4j.issuer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * The time window in which the CA suggests renewing a certificate (ACME Renewal Information,
 * RFC 9773 {@code suggestedWindow}).
 *
 * @param start the window's start
 * @param end the window's end, after the start
 */
public record RenewalWindow(Instant start, Instant end) {
    /**
     * Checks the fields.
     *
     * @param start see the record description
     * @param end see the record description
     */
    public RenewalWindow {
        requireNonNull(start, "start");
        requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("renewal window end " + end + " is not after its start " + start);
        }
    }

    /**
     * @param fraction where in the window, from 0 (start) to 1 (end)
     * @return the point in the window at {@code fraction}
     */
    public Instant at(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be within [0, 1], was " + fraction);
        }
        long millis = Duration.between(start, end).toMillis();
        return start.plusMillis((long) (millis * fraction));
    }
}
