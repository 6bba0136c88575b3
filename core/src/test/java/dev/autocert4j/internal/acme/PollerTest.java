package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Polling waits briefly at first, grows, honours Retry-After, and stops at the deadline; no real sleeping. */
class PollerTest {
    /** A clock that the sleeper advances. */
    private static final class FakeTime extends Clock {
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

    private final FakeTime time = new FakeTime();
    private final Poller poller = new Poller(Duration.ofSeconds(1), time, time::sleep);

    @Test
    void startsWithTensOfMillisecondsAndGrowsUpToTheMaximum() throws Exception {
        int[] polls = {0};
        poller.await("x", Duration.ofMinutes(1), () -> ++polls[0] < 12 ? Poller.Result.pending(Optional.empty()) : Poller.Result.finished());

        assertThat(time.sleeps.get(0)).isEqualTo(20);
        assertThat(time.sleeps).isSorted().allMatch(ms -> ms <= 1000);
        assertThat(time.sleeps.get(time.sleeps.size() - 1)).isEqualTo(1000);
    }

    @Test
    void eachWaitIsHalfAsLongAgainAsTheOneBefore() throws Exception {
        int[] polls = {0};
        poller.await("x", Duration.ofMinutes(1), () -> ++polls[0] < 10 ? Poller.Result.pending(Optional.empty()) : Poller.Result.finished());

        assertThat(time.sleeps).containsExactly(20L, 31L, 47L, 71L, 107L, 161L, 242L, 364L, 547L);
    }

    @Test
    void honoursALongerRetryAfter() throws Exception {
        int[] polls = {0};
        poller.await("x", Duration.ofMinutes(1), () -> ++polls[0] == 1
                ? Poller.Result.pending(Optional.of(time.now.plusSeconds(30)))
                : Poller.Result.finished());

        assertThat(time.sleeps).containsExactly(30_000L);
    }

    @Test
    void stopsAtTheDeadlineWithARetryableTimeout() {
        assertThatThrownBy(() -> poller.await("the order", Duration.ofSeconds(5), () -> Poller.Result.pending(Optional.empty())))
                .isInstanceOf(AutocertException.class)
                .hasMessageContaining("the order")
                .matches(e -> ((AutocertException) e).isRetryable());
        assertThat(time.sleeps.stream().mapToLong(Long::longValue).sum()).isEqualTo(5_000);
    }
}
