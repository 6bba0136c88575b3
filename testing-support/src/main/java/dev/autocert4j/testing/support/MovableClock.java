package dev.autocert4j.testing.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, in UTC, starting at 2026-01-01T00:00:00Z. Thread-safe. */
public final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock at 2026-01-01T00:00:00Z. */
    public MovableClock() {
        // the start is fixed so that tests read the same times on every run
    }

    /** @param instant the time the clock shows from now on */
    public void set(Instant instant) {
        now = instant;
    }

    /** @param by how far to move the clock on */
    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
