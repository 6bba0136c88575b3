package dev.autocert4j.internal;

import dev.autocert4j.AutocertException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Polls until a condition holds, with a short, growing delay: 20 ms first, times 1.5, at most
 * {@code maxDelay}; a server's Retry-After wins when it asks for a longer wait. acme4j's own
 * {@code waitForCompletion} sleeps 3 s whenever the server sends no Retry-After, which makes a
 * local issuance take seconds instead of milliseconds.
 *
 * <p>Deadlines use {@link System#nanoTime()}: they bound real waiting on a network peer and must
 * not stop when a test moves an injected clock.
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

    /** @param maxDelay the longest wait between two polls unless a Retry-After asks for more */
    public Poller(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    /**
     * @param what what is awaited, for the timeout message
     * @param timeout the overall deadline
     * @param step one poll
     * @throws AutocertException from the step, or a retryable one on timeout
     * @throws InterruptedException when interrupted while sleeping
     */
    public void await(String what, Duration timeout, Step step) throws AutocertException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long delayMillis = FIRST_DELAY.toMillis();
        while (true) {
            Result r = step.poll();
            if (r.done()) {
                return;
            }
            long wait = delayMillis;
            if (r.retryAfter().isPresent()) {
                long serverWait = Duration.between(Instant.now(), r.retryAfter().get()).toMillis();
                // A Retry-After in the past or far beyond our own schedule is clamped to sane bounds.
                wait = Math.max(wait, Math.min(serverWait, maxDelay.toMillis() * 10));
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                throw new AutocertException("Timed out after " + timeout + " waiting for " + what, true);
            }
            Thread.sleep(Math.min(wait, remaining));
            delayMillis = Math.min((long) (delayMillis * 1.5) + 1, maxDelay.toMillis());
        }
    }
}
