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
    private final FakeTime time = new FakeTime();
    private final Poller poller = new Poller(Duration.ofSeconds(1), time.clock, time::sleep);

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
                ? Poller.Result.pending(Optional.of(time.now().plusSeconds(30)))
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

    @Test
    void anAttemptAtThePaceWaitsForThePaceTriesOnceAndTheNextComesSoonerWhenItWasInTime() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(40));
        int[] attempts = {0};

        boolean done = poller.attemptAtPace(Duration.ofMinutes(1), pace, () -> ++attempts[0] > 0);

        assertThat(done).isTrue();
        assertThat(attempts[0]).isEqualTo(1);
        assertThat(time.sleeps).containsExactly(40L);
        assertThat(pace.firstPoll()).isLessThan(Duration.ofMillis(40));
    }

    @Test
    void anAttemptThatCameTooEarlySaysSoAndThePollingAfterItTeachesThePaceHowLongTheWorkTook() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(40));
        Instant start = time.now();
        Instant done = start.plusMillis(3_000);

        boolean inTime = poller.attemptAtPace(Duration.ofMinutes(1), pace, () -> false);
        Duration afterAttempt = pace.firstPoll();
        poller.awaitAfter("x", Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofMillis(10), pace, start,
                () -> time.now().isBefore(done) ? Poller.Result.pending(Optional.empty()) : Poller.Result.finished());

        assertThat(inTime).isFalse();
        assertThat(afterAttempt).as("the attempt alone does not say how long the work takes").isEqualTo(Duration.ofMillis(40));
        long lastPendingMillis = time.sleeps.subList(0, time.sleeps.size() - 1).stream().mapToLong(Long::longValue).sum();
        assertThat(lastPendingMillis).isGreaterThan(2_000);
        assertThat(pace.firstPoll()).as("at least when the work was last seen pending").isGreaterThan(Duration.ofMillis(lastPendingMillis - 1));
    }

    @Test
    void anAttemptWaitsNoLongerThanTheMaximumNorTheDeadline() throws Exception {
        poller.attemptAtPace(Duration.ofMinutes(1), new PaceEstimate(Duration.ofSeconds(30)), () -> true);
        poller.attemptAtPace(Duration.ofMillis(300), new PaceEstimate(Duration.ofMillis(500)), () -> true);

        assertThat(time.sleeps).containsExactly(1000L, 300L);
    }

    @Test
    void pollingAfterAnEarlyAttemptWaitsTheFirstDelayThenGrowsTheGapByHalf() throws Exception {
        int[] polls = {0};
        poller.awaitAfter("x", Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofMillis(8), null, time.now(),
                () -> ++polls[0] < 5 ? Poller.Result.pending(Optional.empty()) : Poller.Result.finished());

        assertThat(polls[0]).isEqualTo(5);
        assertThat(time.sleeps).containsExactly(10L, 8L, 13L, 20L, 31L);
    }

    @Test
    void pollingAfterAnEarlyAttemptWithNoFirstDelayPollsAtOnceAndHonoursRetryAfter() throws Exception {
        int[] polls = {0};
        poller.awaitAfter("x", Duration.ofMinutes(1), Duration.ZERO, Duration.ofMillis(8), null, time.now(), () -> ++polls[0] == 1
                ? Poller.Result.pending(Optional.of(time.now().plusSeconds(3)))
                : Poller.Result.finished());

        assertThat(time.sleeps).containsExactly(3_000L);
    }

    @Test
    void pollingAfterAnEarlyAttemptStopsAtTheDeadlineWithARetryableTimeout() {
        assertThatThrownBy(() -> poller.awaitAfter("the authorization", Duration.ofSeconds(2), Duration.ofMillis(5), Duration.ofMillis(5), null, time.now(),
                () -> Poller.Result.pending(Optional.empty())))
                .isInstanceOf(AutocertException.class)
                .hasMessageContaining("the authorization")
                .matches(e -> ((AutocertException) e).isRetryable());
        assertThat(time.sleeps.stream().mapToLong(Long::longValue).sum()).isEqualTo(2_000);
    }
}
