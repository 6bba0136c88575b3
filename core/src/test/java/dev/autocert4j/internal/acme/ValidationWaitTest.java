package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.internal.http.FetchedToken;
import dev.autocert4j.solver.Presentation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wait for validation after the trigger, on a clock that only the sleeper moves: which request
 * comes first (an early CSR or an authorization poll) and what the learnt pace hears of it.
 */
class ValidationWaitTest {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final FakeTime time = new FakeTime();
    private final Poller poller = new Poller(ONE_SECOND, time.clock, time::sleep);
    private final List<String> requests = new ArrayList<>();

    /** A CA that has validated everything by the time it is asked. */
    private boolean await(PaceEstimate pace, List<Presentation> presentations, long triggeredNanos) throws Exception {
        ValidationWait wait = new ValidationWait(poller, time.clock, pace);
        ValidationWait.Awaited authorization = new ValidationWait.Awaited("validation of a.example.com", () -> {
            requests.add("poll authorization");
            return Poller.Result.finished();
        }, () -> requests.add("verified"));
        return wait.await(List.of(authorization), presentations, triggeredNanos, () -> {
            requests.add("finalise");
            return true;
        }, time.now().plus(Duration.ofMinutes(5)));
    }

    private boolean await(PaceEstimate pace) throws Exception {
        return await(pace, List.of(), System.nanoTime());
    }

    @Test
    void aCaThatValidatesWithinASecondGetsTheCsrAtItsPaceInsteadOfAnAuthorizationPoll() throws Exception {
        boolean finalised = await(new PaceEstimate(Duration.ofMillis(900)));

        assertThat(finalised).isTrue();
        assertThat(requests).containsExactly("finalise", "verified");
        assertThat(time.sleeps).containsExactly(900L);
    }

    @Test
    void aCaThatTakesLongerThanASecondHasItsAuthorizationPolledFirst() throws Exception {
        boolean finalised = await(new PaceEstimate(Duration.ofMillis(1100)));

        assertThat(finalised).as("the caller finalises once the authorization is valid").isFalse();
        assertThat(requests).containsExactly("poll authorization", "verified");
        assertThat(time.sleeps).as("the first poll waits at most the longest gap between polls").containsExactly(1000L);
    }

    @Test
    void aPaceOfExactlyOneSecondStillGetsTheEarlyCsr() throws Exception {
        await(new PaceEstimate(ONE_SECOND));

        assertThat(requests).startsWith("finalise");
    }

    @Test
    void anEarlyCsrAtThePaceThatIsAcceptedTeachesThePaceThatItWasInTime() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(100));

        await(pace);

        assertThat(pace.firstPoll()).isLessThan(Duration.ofMillis(100));
    }

    /** Our responder's token, fetched by the CA at a given time. */
    private static Presentation fetchedAt(long nanos) {
        return new FetchedPresentation(nanos);
    }

    private record FetchedPresentation(long lastFetchNanos) implements Presentation, FetchedToken {
        @Override
        public void wakeOnFetch(Thread waiter) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void whenTheCaHasFetchedEveryTokenTheCsrGoesOutWithoutWaitingForThePace() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(900));
        long triggered = System.nanoTime() - Duration.ofMillis(50).toNanos();

        boolean finalised = await(pace, List.of(fetchedAt(triggered + 1)), triggered);

        assertThat(finalised).isTrue();
        assertThat(requests).containsExactly("finalise", "verified");
        assertThat(time.sleeps).as("no wait for the 900 ms pace").isEmpty();
        assertThat(pace.firstPoll()).as("a wait the signal ended says nothing about the pace").isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aFetchBeforeTheTriggerLeavesTheWaitToThePace() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(30));
        long triggered = System.nanoTime();

        await(pace, List.of(fetchedAt(triggered - 1)), triggered);

        assertThat(requests).containsExactly("finalise", "verified");
        assertThat(pace.firstPoll()).as("the pace decided, and learns that it was in time").isLessThan(Duration.ofMillis(30));
    }

    /** An authorization that the CA has validated by the {@code n}th poll. */
    private ValidationWait.Awaited validAtPoll(int n) {
        int[] polls = {0};
        return new ValidationWait.Awaited("validation of a.example.com", () -> {
            requests.add("poll authorization");
            return ++polls[0] < n ? Poller.Result.pending(java.util.Optional.empty()) : Poller.Result.finished();
        }, () -> requests.add("verified"));
    }

    @Test
    void anEarlyCsrAfterTheSignalThatComesTooEarlyFallsBackToPollingTheAuthorization() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(900));
        long triggered = System.nanoTime() - Duration.ofMillis(50).toNanos();
        ValidationWait wait = new ValidationWait(poller, time.clock, pace);
        ValidationWait.Awaited authorization = validAtPoll(2);

        boolean finalised = wait.await(List.of(authorization), List.of(fetchedAt(triggered + 1)), triggered, () -> {
            requests.add("finalise (orderNotReady)");
            return false;
        }, time.now().plus(Duration.ofMinutes(5)));

        assertThat(finalised).as("the caller finalises again").isFalse();
        assertThat(requests).containsExactly("finalise (orderNotReady)", "poll authorization", "poll authorization", "verified");
        assertThat(pace.firstPoll()).as("the validation pace did not decide, so it is not doubled").isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aSignalFarAheadOfTheValidationTeachesTheValidationPaceSoThatASlowCaIsPolledFirstAfterwards() throws Exception {
        PaceEstimate pace = new PaceEstimate(Duration.ofMillis(900));
        long triggered = System.nanoTime() - Duration.ofMillis(50).toNanos();
        ValidationWait wait = new ValidationWait(poller, time.clock, pace);
        ValidationWait.Awaited authorization = validAtPoll(5);

        wait.await(List.of(authorization), List.of(fetchedAt(triggered + 1)), triggered, () -> false,
                time.now().plus(Duration.ofMinutes(5)));

        assertThat(time.sleeps).as("polls at a quarter of the pace, growing by half").containsExactly(225L, 225L, 338L, 508L, 763L);
        assertThat(pace.firstPoll()).as("still pending after the 900 ms pace: a CA slower than a second")
                .isGreaterThan(Duration.ofSeconds(1));
    }

    @Test
    void theWaitEndsAtTheOrdersDeadline() throws Exception {
        ValidationWait wait = new ValidationWait(poller, time.clock, new PaceEstimate(Duration.ofMillis(900)));
        ValidationWait.Awaited authorization = new ValidationWait.Awaited("validation of a.example.com",
                () -> Poller.Result.finished(), () -> { });

        wait.await(List.of(authorization), List.of(), System.nanoTime(), () -> true, time.now().plusMillis(300));

        assertThat(time.sleeps).containsExactly(300L);
        assertThat(Instant.parse("2026-01-01T00:00:00.300Z")).isEqualTo(time.now());
    }
}
