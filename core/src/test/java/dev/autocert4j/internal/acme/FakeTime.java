package dev.autocert4j.internal.acme;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that only the sleeper advances: the poller's tests count polls and simulated milliseconds. */
final class FakeTime extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final List<Long> sleeps = new ArrayList<>();

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

    void sleep(long millis) {
        sleeps.add(millis);
        now = now.plusMillis(millis);
    }
}
