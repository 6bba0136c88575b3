package dev.autocert4j.internal.acme;

import dev.autocert4j.AutocertException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Polls until a condition holds, with a short, growing delay: 20 ms first, times 1.5, at most
 * {@code maxDelay}; a server's Retry-After wins when it asks for a longer wait. With a
 * {@link PaceEstimate} the first poll waits for the issuer's learnt pace instead, and the next ones
 * follow at a quarter of it, growing by half up to {@code maxDelay}. acme4j's own
 * {@code waitForCompletion} sleeps 3 s whenever the server sends no Retry-After, which makes a
 * local issuance take seconds instead of milliseconds.
 *
 * <p>Deadlines use the system clock, not the manager's injected clock: they bound real waiting on
 * a network peer and must not stop when a test moves the manager's clock.
 */
public final class Poller {
    /** One poll: fetch the state, say whether it is final, and pass on a Retry-After if any. */
    @FunctionalInterface
    public interface Step {
        /**
         * @return empty when done; otherwise the server's Retry-After (or {@link Optional#empty()}
         *     inside a {@code Result.pending})
         * @throws AutocertException when the state is a failure
         */
        Result poll() throws AutocertException;
    }

    /**
     * The outcome of one poll.
     *
     * @param done whether polling is over
     * @param retryAfter the server's Retry-After, if it sent one
     */
    public record Result(boolean done, Optional<Instant> retryAfter) {
        /** @return a result that ends polling */
        public static Result finished() {
            return new Result(true, Optional.empty());
        }

        /**
         * @param retryAfter the server's Retry-After, if any
         * @return a result that continues polling
         */
        public static Result pending(Optional<Instant> retryAfter) {
            return new Result(false, retryAfter);
        }
    }

    private static final Duration FIRST_DELAY = Duration.ofMillis(20);

    private final Duration maxDelay;
    private final Clock clock;
    private final Sleeper sleeper;

    /** @param maxDelay the longest wait between two polls unless a Retry-After asks for more */
    public Poller(Duration maxDelay) {
        this(maxDelay, Clock.systemUTC(), Thread::sleep);
    }

    /**
     * For tests: time and sleeping injected.
     *
     * @param maxDelay the longest wait between two polls unless a Retry-After asks for more
     * @param clock the time source for deadlines and Retry-After
     * @param sleeper how to wait
     */
    public Poller(Duration maxDelay, Clock clock, Sleeper sleeper) {
        this.maxDelay = maxDelay;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Waits; {@code Thread::sleep} outside tests. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * @param millis how long to wait
         * @throws InterruptedException when interrupted
         */
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * @param what what is awaited, for the timeout message
     * @param timeout the overall deadline
     * @param step one poll
     * @throws AutocertException from the step, or a retryable one on timeout
     * @throws InterruptedException when interrupted while sleeping
     */
    public void await(String what, Duration timeout, Step step) throws AutocertException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        long delayMillis = FIRST_DELAY.toMillis();
        while (true) {
            Result r = step.poll();
            if (r.done()) {
                return;
            }
            long wait = delayMillis;
            if (r.retryAfter().isPresent()) {
                // The server's Retry-After wins when it asks for longer than our own schedule.
                wait = Math.max(wait, Duration.between(clock.instant(), r.retryAfter().get()).toMillis());
            }
            long remaining = Duration.between(clock.instant(), deadline).toMillis();
            if (remaining <= 0) {
                throw new AutocertException("Timed out after " + timeout + " waiting for " + what, true);
            }
            sleeper.sleep(Math.min(wait, remaining));
            delayMillis = Math.min((long) (delayMillis * 1.5) + 1, maxDelay.toMillis());
        }
    }

    /** The shortest gap between two polls after a first one that came too early. */
    private static final long MIN_STEP_MILLIS = 2;

    /**
     * Waits for the issuer's learnt pace (at most {@code maxDelay}), polls, and goes on at a
     * quarter of the pace, growing by half up to {@code maxDelay}; a longer Retry-After wins.
     * Tells the pace what happened, also on timeout (the work took longer than that).
     *
     * @param what what is awaited, for the timeout message
     * @param timeout the overall deadline
     * @param pace the issuer's pace for this kind of work; learns from this wait
     * @param step one poll
     * @throws AutocertException from the step, or a retryable one on timeout
     * @throws InterruptedException when interrupted while sleeping
     */
    public void await(String what, Duration timeout, PaceEstimate pace, Step step)
            throws AutocertException, InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        Duration expected = pace.firstPoll();
        long ceiling = maxDelay.toMillis();
        long remaining = timeout.toMillis();
        if (remaining > 0) {
            sleeper.sleep(Math.min(Math.max(1, Math.min(ceiling, roundedMillis(expected))), remaining));
        }
        long delayMillis = Math.max(MIN_STEP_MILLIS, Math.min(ceiling, roundedMillis(expected) / 4));
        boolean first = true;
        Duration lastPending = Duration.ZERO;
        while (true) {
            Duration polledAt = Duration.between(start, clock.instant());
            Result r = step.poll();
            if (r.done()) {
                pace.record(first, lastPending);
                return;
            }
            first = false;
            lastPending = polledAt;
            long wait = delayMillis;
            if (r.retryAfter().isPresent()) {
                wait = Math.max(wait, Duration.between(clock.instant(), r.retryAfter().get()).toMillis());
            }
            remaining = Duration.between(clock.instant(), deadline).toMillis();
            if (remaining <= 0) {
                pace.record(false, lastPending);
                throw new AutocertException("Timed out after " + timeout + " waiting for " + what, true);
            }
            sleeper.sleep(Math.min(wait, remaining));
            delayMillis = Math.min((long) (delayMillis * 1.5) + 1, Math.max(ceiling, MIN_STEP_MILLIS));
        }
    }

    /** One attempt at something that succeeds only once the awaited work is done. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * @return true when it succeeded; false when it came too early (the work is not done yet)
         * @throws AutocertException when it failed for another reason
         */
        boolean tryNow() throws AutocertException;
    }

    /**
     * Waits for the issuer's learnt pace (at most {@code maxDelay}, within {@code timeout}) and
     * makes one attempt in place of a first poll: when the work is done, the attempt's own request
     * has replaced the poll, and the pace learns that it was in time. When it came too early, the
     * caller MUST wait with {@link #awaitAfter}, which teaches the pace how long the work took.
     *
     * @param timeout the overall deadline
     * @param pace the issuer's pace for the awaited work
     * @param attempt the request that succeeds once the work is done
     * @return whether the attempt succeeded
     * @throws AutocertException from the attempt
     * @throws InterruptedException when interrupted while sleeping
     */
    public boolean attemptAtPace(Duration timeout, PaceEstimate pace, Attempt attempt)
            throws AutocertException, InterruptedException {
        return attemptAtPace(timeout, pace, millis -> {
            sleeper.sleep(millis);
            return false;
        }, attempt);
    }

    /** A wait that may end before its time, when something says the awaited work is likely done. */
    @FunctionalInterface
    public interface EarlyWake {
        /**
         * @param millis the longest wait
         * @return whether the wait ended early
         * @throws InterruptedException when interrupted
         */
        boolean sleep(long millis) throws InterruptedException;
    }

    /**
     * As {@link #attemptAtPace(Duration, PaceEstimate, Attempt)}, with a wait that may end early. The
     * pace learns only from an attempt that came at its own time: one that came early says nothing
     * about it.
     *
     * @param timeout the overall deadline
     * @param pace the issuer's pace for the awaited work
     * @param wait how to wait for the pace
     * @param attempt the request that succeeds once the work is done
     * @return whether the attempt succeeded
     * @throws AutocertException from the attempt
     * @throws InterruptedException when interrupted while sleeping
     */
    public boolean attemptAtPace(Duration timeout, PaceEstimate pace, EarlyWake wait, Attempt attempt)
            throws AutocertException, InterruptedException {
        long remaining = timeout.toMillis();
        boolean early = false;
        if (remaining > 0) {
            early = wait.sleep(Math.min(Math.max(1, Math.min(maxDelay.toMillis(), roundedMillis(pace.firstPoll()))), remaining));
        }
        boolean done = attempt.tryNow();
        if (done && !early) {
            pace.record(true, Duration.ZERO);
        }
        return done;
    }

    /**
     * Polls after {@code firstDelay}, then every {@code gap}, growing by half up to {@code maxDelay};
     * a longer Retry-After wins. For work whose first look (an {@link #attemptAtPace attempt}) came
     * too early; tells the pace, if given, that the work was still pending at the last pending poll
     * (at the earliest when this wait began), also on timeout.
     *
     * @param what what is awaited, for the timeout message
     * @param timeout the overall deadline
     * @param firstDelay the wait before the first poll; zero polls at once
     * @param gap the wait after the first poll that finds the work pending
     * @param pace the pace to teach, or null when another wait of the same order teaches it
     * @param startedAt when the awaited work began (the pace counts from there)
     * @param step one poll
     * @return how long after {@code startedAt} the work was last seen pending
     * @throws AutocertException from the step, or a retryable one on timeout
     * @throws InterruptedException when interrupted while sleeping
     */
    public Duration awaitAfter(String what, Duration timeout, Duration firstDelay, Duration gap, PaceEstimate pace,
            Instant startedAt, Step step) throws AutocertException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        Duration lastPending = Duration.between(startedAt, clock.instant());
        long first = Math.min(roundedMillis(firstDelay), timeout.toMillis());
        if (first > 0) {
            sleeper.sleep(first);
        }
        long delayMillis = Math.max(MIN_STEP_MILLIS, Math.min(maxDelay.toMillis(), roundedMillis(gap)));
        while (true) {
            Duration polledAt = Duration.between(startedAt, clock.instant());
            Result r = step.poll();
            if (r.done()) {
                learn(pace, lastPending);
                return lastPending;
            }
            lastPending = polledAt;
            long wait = delayMillis;
            if (r.retryAfter().isPresent()) {
                wait = Math.max(wait, Duration.between(clock.instant(), r.retryAfter().get()).toMillis());
            }
            long remaining = Duration.between(clock.instant(), deadline).toMillis();
            if (remaining <= 0) {
                learn(pace, lastPending);
                throw new AutocertException("Timed out after " + timeout + " waiting for " + what, true);
            }
            sleeper.sleep(Math.min(wait, remaining));
            delayMillis = Math.min((long) (delayMillis * 1.5) + 1, Math.max(maxDelay.toMillis(), MIN_STEP_MILLIS));
        }
    }

    private static void learn(PaceEstimate pace, Duration lastPending) {
        if (pace != null) {
            pace.record(false, lastPending);
        }
    }

    private static long roundedMillis(Duration d) {
        return Math.round(d.toNanos() / 1e6);
    }
}
