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
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Polling that learns an issuer's pace, against simulated CAs on a clock that only the sleeper
 * moves: what is counted is polls and simulated milliseconds, never wall-clock time.
 */
class PacedPollingTest {
    /** What one simulated wait cost: polls made and how long after the CA was done the client noticed. */
    private record Wait(int polls, long lateMillis) {
    }

    private final FakeTime time = new FakeTime();
    private final Poller poller = new Poller(Duration.ofSeconds(1), time.clock, time::sleep);

    /** One wait for a CA that is done {@code takesMillis} after the start. */
    private Wait await(PaceEstimate pace, long takesMillis) throws Exception {
        Instant start = time.now();
        Instant done = start.plusMillis(takesMillis);
        int[] polls = {0};
        if (pace == null) {
            poller.await("x", Duration.ofMinutes(5), () -> poll(polls, done));
        } else {
            poller.await("x", Duration.ofMinutes(5), pace, () -> poll(polls, done));
        }
        return new Wait(polls[0], Duration.between(done, time.now()).toMillis());
    }

    private Poller.Result poll(int[] polls, Instant done) {
        polls[0]++;
        return time.now().isBefore(done) ? Poller.Result.pending(Optional.empty()) : Poller.Result.finished();
    }

    private static double averagePolls(List<Wait> waits) {
        return waits.stream().mapToInt(Wait::polls).average().orElseThrow();
    }

    @Test
    void aFastCaIsFirstPolledNearItsPaceAndAlmostAlwaysOnce() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(20));
        Random random = new Random(17);
        for (int i = 0; i < 40; i++) {
            await(pace, 2 + random.nextInt(3)); // 2-4 ms, as Pebble without its sleep
        }
        List<Wait> waits = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            waits.add(await(pace, 2 + random.nextInt(3)));
        }

        assertThat(pace.firstPoll()).isBetween(Duration.ofMillis(3), Duration.ofMillis(12));
        assertThat(averagePolls(waits)).isLessThanOrEqualTo(1.1);
        assertThat(waits.stream().mapToLong(Wait::lateMillis).sorted().skip(waits.size() / 2).findFirst().orElseThrow())
                .as("median milliseconds between done and noticed").isLessThanOrEqualTo(8);
    }

    @Test
    void theFixedScheduleIsLateForTheSameFastCa() throws Exception {
        // the reference the pace is measured against: 20 ms, then growing by half
        Wait fixed = await(null, 3);

        assertThat(fixed.polls()).isEqualTo(2);
        assertThat(fixed.lateMillis()).isEqualTo(17);
    }

    @Test
    void afterTheFirstPollTheGapsStartAtAQuarterOfThePaceAndGrowByHalfUpToTheCeiling() throws Exception {
        Wait wait = await(new PaceEstimate(Duration.ofMillis(400)), 5_000);

        assertThat(wait.polls()).isGreaterThan(8);
        assertThat(time.sleeps.subList(0, 8)).containsExactly(400L, 100L, 151L, 227L, 341L, 512L, 769L, 1000L);
        assertThat(time.sleeps.subList(7, time.sleeps.size() - 1)).as("then at the one-second ceiling").containsOnly(1000L);
    }

    @Test
    void aSlowCaIsPolledFarLessOftenThanByTheFixedScheduleAndNeverLessOftenThanTheCeiling() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(20));
        Random random = new Random(17);
        List<Wait> fixed = new ArrayList<>();
        List<Wait> paced = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long takes = 1000L * random.nextInt(15) + 1; // Pebble with its VA sleep: 0-14 s
            fixed.add(await(null, takes));
            time.sleeps.clear();
            paced.add(await(pace, takes));
            assertThat(time.sleeps).allMatch(ms -> ms <= 1000);
        }

        assertThat(averagePolls(paced)).isLessThan(averagePolls(fixed) - 5);
        assertThat(paced).allMatch(w -> w.lateMillis() <= 1000);
    }

    @Test
    void oneSlowOutlierIsForgotten() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(20));
        for (int i = 0; i < 60; i++) {
            await(pace, 3);
        }
        Duration settled = pace.firstPoll();
        await(pace, 800);
        Duration afterOutlier = pace.firstPoll();
        for (int i = 0; i < 120; i++) {
            await(pace, 3);
        }

        assertThat(afterOutlier).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(pace.firstPoll()).isLessThanOrEqualTo(settled.multipliedBy(2));
    }

    @Test
    void aFirstPollThatCameTooEarlyRaisesTheEstimateAtLeastToWhenTheWorkWasStillPending() {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(10));

        pace.record(false, Duration.ofMillis(300));

        assertThat(pace.firstPoll()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aFirstPollThatFoundTheWorkDoneLowersTheEstimateButNeverBelowAMillisecond() {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(10));
        pace.record(true, Duration.ZERO);
        assertThat(pace.firstPoll()).isLessThan(Duration.ofMillis(10));

        for (int i = 0; i < 1000; i++) {
            pace.record(true, Duration.ZERO);
        }
        assertThat(pace.firstPoll()).isEqualTo(PaceEstimate.FLOOR);
    }

    @Test
    void aLongerRetryAfterWinsOverThePace() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(5));
        int[] polls = {0};
        poller.await("x", Duration.ofMinutes(1), pace, () -> ++polls[0] == 1
                ? Poller.Result.pending(Optional.of(time.now().plusSeconds(30)))
                : Poller.Result.finished());

        assertThat(time.sleeps).containsExactly(5L, 30_000L);
    }

    @Test
    void theOrderDeadlineStillEndsAPacedWaitAndTheEstimateLearnsFromIt() {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(20));

        assertThatThrownBy(() -> poller.await("the order", Duration.ofSeconds(5), pace,
                () -> Poller.Result.pending(Optional.empty())))
                .isInstanceOf(AutocertException.class)
                .hasMessageContaining("the order")
                .matches(e -> ((AutocertException) e).isRetryable());
        assertThat(time.sleeps.stream().mapToLong(Long::longValue).sum()).isEqualTo(5_000);
        assertThat(pace.firstPoll()).isGreaterThanOrEqualTo(Duration.ofMillis(4_000));
    }
}
