package dev.autocert4j.internal.acme;

import dev.autocert4j.internal.http.FetchedToken;
import dev.autocert4j.solver.Presentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The CA's validation signal from our own HTTP-01 responder: once every token of an order has been
 * fetched after the challenges were triggered, the CA is validating, and it is likely done a learnt
 * "fetch to valid" pace after the last of those fetches. Fetches before the trigger (a self-check)
 * do not count; a later fetch (another of the CA's perspectives) moves the estimate on. An order with
 * a challenge that our responder does not serve (DNS-01, a solver of someone else's) has no signal.
 * Used by one order's thread at a time.
 */
final class FetchSignal {
    private static final FetchSignal NONE = new FetchSignal(List.of(), 0, Duration.ZERO);

    private final List<FetchedToken> tokens;
    private final long triggeredNanos;
    private final long afterFetchNanos;
    private long lastFetchNanos;
    private boolean endedEarly;

    FetchSignal(List<FetchedToken> tokens, long triggeredNanos, Duration afterFetch) {
        this.tokens = List.copyOf(tokens);
        this.triggeredNanos = triggeredNanos;
        this.afterFetchNanos = afterFetch.toNanos();
    }

    /** @return no signal: every wait lasts as long as asked */
    static FetchSignal none() {
        return NONE;
    }

    /**
     * @param presentations the order's presented challenges
     * @param triggeredNanos {@link System#nanoTime()} just before the first challenge was triggered
     * @param afterFetch the learnt pace from the CA's fetch to a valid authorization
     * @return the signal, or {@link #none()} unless our responder serves every challenge
     */
    static FetchSignal of(List<Presentation> presentations, long triggeredNanos, Duration afterFetch) {
        List<FetchedToken> tokens = new ArrayList<>();
        for (Presentation p : presentations) {
            if (!(p instanceof FetchedToken token)) {
                return NONE;
            }
            tokens.add(token);
        }
        return tokens.isEmpty() ? NONE : new FetchSignal(tokens, triggeredNanos, afterFetch);
    }

    /** @return whether there can be a signal (our responder serves every challenge of the order) */
    boolean present() {
        return !tokens.isEmpty();
    }

    /**
     * The decision: when the CA is likely done, from what the responder saw so far.
     *
     * @return the {@link System#nanoTime()} a "fetch to valid" pace after the last fetch, once every
     *     token has been fetched after the trigger; empty before that, and without a signal
     */
    OptionalLong likelyDoneAt() {
        if (tokens.isEmpty()) {
            return OptionalLong.empty();
        }
        long last = triggeredNanos;
        for (FetchedToken token : tokens) {
            long fetched = token.lastFetchNanos();
            if (fetched - triggeredNanos <= 0) {
                return OptionalLong.empty(); // not fetched since the trigger (a self-check before it does not count)
            }
            if (fetched - last > 0) {
                last = fetched;
            }
        }
        return OptionalLong.of(last + afterFetchNanos);
    }

    /**
     * Waits {@code millis}, or less: until the CA is {@linkplain #likelyDoneAt() likely done}.
     *
     * @param millis the longest wait
     * @return whether the signal ended the wait before {@code millis}
     * @throws InterruptedException when interrupted
     */
    boolean sleep(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Thread self = Thread.currentThread();
        tokens.forEach(t -> t.wakeOnFetch(self));
        try {
            while (true) {
                long now = System.nanoTime();
                OptionalLong done = likelyDoneAt();
                if (done.isPresent() && done.getAsLong() - end < 0 && done.getAsLong() - now <= 0) {
                    endedEarly = true;
                    lastFetchNanos = done.getAsLong() - afterFetchNanos;
                    return true;
                }
                long until = done.isPresent() && done.getAsLong() - end < 0 ? done.getAsLong() : end;
                if (until - now <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, until - now); // a fetch unparks; spurious wake-ups loop
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for the CA's validation");
                }
            }
        } finally {
            tokens.forEach(t -> t.wakeOnFetch(null));
        }
    }

    /** @return whether a {@link #sleep} was ended by the signal */
    boolean endedEarly() {
        return endedEarly;
    }

    /** @return how long ago the last token was fetched, when a {@link #sleep} was ended by the signal */
    Duration sinceLastFetch() {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - lastFetchNanos));
    }
}
