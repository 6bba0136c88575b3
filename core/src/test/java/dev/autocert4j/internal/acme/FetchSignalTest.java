package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.internal.http.FetchedToken;
import dev.autocert4j.internal.http.ServedToken;
import dev.autocert4j.solver.Presentation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The decision of the validation signal: when every token of the order has been fetched after the
 * trigger, the CA is likely done a "fetch to valid" pace after the last fetch. Fetch times are given,
 * not waited for.
 */
class FetchSignalTest {
    private static final long TRIGGERED = 1_000_000_000L;
    private static final Duration AFTER_FETCH = Duration.ofMillis(2);

    /** A token of our responder, fetched last at a given time. */
    private static final class Token implements Presentation, FetchedToken {
        long lastFetch;
        final AtomicReference<Thread> waiter = new AtomicReference<>();

        Token(long lastFetch) {
            this.lastFetch = lastFetch;
        }

        @Override
        public long lastFetchNanos() {
            return lastFetch;
        }

        @Override
        public void wakeOnFetch(Thread waiter) {
            this.waiter.set(waiter);
        }

        @Override
        public void close() {
        }
    }

    private static FetchSignal signal(Presentation... presentations) {
        return FetchSignal.of(List.of(presentations), TRIGGERED, AFTER_FETCH);
    }

    @Test
    void everyTokenFetchedAfterTheTriggerMeansTheCaIsLikelyDoneAFetchPaceAfterTheLastFetch() {
        FetchSignal signal = signal(new Token(TRIGGERED + 3_000_000));

        assertThat(signal.present()).isTrue();
        assertThat(signal.likelyDoneAt()).hasValue(TRIGGERED + 3_000_000 + AFTER_FETCH.toNanos());
    }

    @Test
    void aTokenNotFetchedYetGivesNoSignal() {
        assertThat(signal(new Token(TRIGGERED - 50_000_000)).likelyDoneAt()).isEmpty();
    }

    @Test
    void aFetchBeforeTheTriggerSuchAsASelfCheckDoesNotCount() {
        Token selfChecked = new Token(TRIGGERED - 1);
        assertThat(signal(selfChecked).likelyDoneAt()).isEmpty();

        selfChecked.lastFetch = TRIGGERED; // at the very instant of the trigger: still not after it
        assertThat(signal(selfChecked).likelyDoneAt()).isEmpty();
    }

    @Test
    void withSeveralTokensTheSignalWaitsForTheLastOfThemToBeFetched() {
        Token early = new Token(TRIGGERED + 1_000_000);
        Token late = new Token(TRIGGERED - 1);
        FetchSignal signal = signal(early, late);

        assertThat(signal.likelyDoneAt()).as("one token not fetched since the trigger").isEmpty();

        late.lastFetch = TRIGGERED + 7_000_000;
        assertThat(signal.likelyDoneAt()).hasValue(TRIGGERED + 7_000_000 + AFTER_FETCH.toNanos());
    }

    @Test
    void aLaterFetchOfAnotherPerspectiveMovesTheEstimateOn() {
        Token token = new Token(TRIGGERED + 1_000_000);
        FetchSignal signal = signal(token);

        token.lastFetch = TRIGGERED + 40_000_000;

        assertThat(signal.likelyDoneAt()).hasValue(TRIGGERED + 40_000_000 + AFTER_FETCH.toNanos());
    }

    @Test
    void anOrderWithAChallengeOurResponderDoesNotServeHasNoSignal() {
        Presentation dns = () -> { };
        FetchSignal signal = signal(new Token(TRIGGERED + 1_000_000), dns);

        assertThat(signal.present()).isFalse();
        assertThat(signal.likelyDoneAt()).isEmpty();
        assertThat(signal(dns).present()).isFalse();
        assertThat(signal().present()).as("no challenge at all").isFalse();
    }

    @Test
    void aWaitEndsEarlyOnceTheTokenWasFetchedAndTheFetchPaceHasPassed() throws Exception {
        ServedToken served = new ServedToken("k");
        long triggered = System.nanoTime();
        served.fetched();
        Token token = new Token(served.lastFetchNanos());
        FetchSignal signal = FetchSignal.of(List.of(token), triggered, Duration.ZERO);

        assertThat(signal.sleep(Duration.ofMinutes(10).toMillis())).as("ended by the signal").isTrue();

        assertThat(signal.endedEarly()).isTrue();
        assertThat(token.waiter.get()).as("no thread is left to wake").isNull();
    }

    @Test
    void aFetchWakesTheWaitingThread() throws Exception {
        ServedToken served = new ServedToken("k");
        CountDownLatch waiting = new CountDownLatch(1);
        FetchedToken watched = new FetchedToken() {
            @Override
            public long lastFetchNanos() {
                return served.lastFetchNanos();
            }

            @Override
            public void wakeOnFetch(Thread waiter) {
                served.wakeOnFetch(waiter);
                if (waiter != null) {
                    waiting.countDown();
                }
            }
        };
        FetchSignal signal = new FetchSignal(List.of(watched), System.nanoTime(), Duration.ZERO);
        Thread ca = new Thread(() -> {
            try {
                waiting.await();
                served.fetched(); // the CA's request, on the responder's thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ca.start();

        assertThat(signal.sleep(Duration.ofMinutes(10).toMillis())).as("woken by the fetch, long before ten minutes").isTrue();
        ca.join();
    }
}
