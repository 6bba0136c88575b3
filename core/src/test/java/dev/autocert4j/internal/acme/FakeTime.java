package dev.autocert4j.internal.acme;

import dev.autocert4j.testing.support.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A sleeper that moves a clock instead of waiting: the poller's tests count polls and simulated milliseconds. */
final class FakeTime {
    final MovableClock clock = new MovableClock();
    final List<Long> sleeps = new ArrayList<>();

    Instant now() {
        return clock.instant();
    }

    void sleep(long millis) {
        sleeps.add(millis);
        clock.advance(Duration.ofMillis(millis));
    }
}
