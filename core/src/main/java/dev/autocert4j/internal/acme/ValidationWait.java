package dev.autocert4j.internal.acme;

import dev.autocert4j.AutocertException;
import dev.autocert4j.solver.Presentation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Waits, after the trigger, until the CA has validated every authorization of an order, at the
 * issuer's learnt pace. While that pace is at most a second (a fast CA), the CSR is sent at the pace
 * in place of an authorization poll: a CA that accepts it has validated every name, one that answers
 * orderNotReady gets its authorizations polled and the CSR again. A slower CA is polled first, since
 * an early CSR would mostly cost a request more. Where our own HTTP-01 responder serves every token
 * of the order, the wait for the pace ends early once the CA has fetched each of them after the
 * trigger, plus a learnt "fetch to valid" pace ({@link FetchSignal}).
 *
 * <p>One per issuer: it keeps the issuer's two paces. Thread-safe.
 */
final class ValidationWait {
    /** An unknown CA is likely done a couple of milliseconds after it fetched the last token. */
    private static final Duration INITIAL_FETCH_PACE = Duration.ofMillis(2);

    /**
     * Up to this learnt validation pace the CSR is sent at the pace instead of an authorization poll
     * (README "Performance"); beyond it an early CSR would mostly cost a request more.
     */
    static final Duration EARLY_CSR_LIMIT = Duration.ofSeconds(1);

    private final Poller poller;
    private final Clock clock;
    private final PaceEstimate validationPace;
    private final PaceEstimate fetchPace = new PaceEstimate(INITIAL_FETCH_PACE);

    /**
     * @param poller how to wait and poll
     * @param clock the poller's clock (deadlines)
     * @param validationPace the issuer's pace from trigger to valid authorizations
     */
    ValidationWait(Poller poller, Clock clock, PaceEstimate validationPace) {
        this.poller = poller;
        this.clock = clock;
        this.validationPace = validationPace;
    }

    /**
     * One authorization to wait for.
     *
     * @param what what is awaited, for the timeout message
     * @param poll one poll of the authorization: done when valid, a failure when invalid
     * @param verified called once it is known to be valid
     */
    record Awaited(String what, Poller.Step poll, Runnable verified) {
    }

    /**
     * @param awaited the order's authorizations that were not valid before the trigger
     * @param presentations what was presented for them (the signal, where our responder serves them)
     * @param triggeredNanos {@link System#nanoTime()} just before the first trigger
     * @param finaliseNow sends the CSR once; false when the CA answered orderNotReady
     * @param deadline the order's deadline
     * @return true when the CSR was sent and accepted; false when every authorization is valid and the
     *     order still has to be finalised
     * @throws AutocertException when a validation fails, the CSR is refused, or the deadline passes
     * @throws InterruptedException when interrupted
     */
    boolean await(List<Awaited> awaited, List<Presentation> presentations, long triggeredNanos, Poller.Attempt finaliseNow,
            Instant deadline) throws AutocertException, InterruptedException {
        Duration pace = validationPace.firstPoll();
        Instant triggered = clock.instant();
        if (awaited.isEmpty() || pace.compareTo(EARLY_CSR_LIMIT) > 0) {
            for (Awaited a : awaited) {
                poller.await(a.what(), remaining(deadline), validationPace, a.poll());
                a.verified().run();
            }
            return false;
        }
        Duration afterFetch = fetchPace.firstPoll();
        FetchSignal signal = FetchSignal.of(presentations, triggeredNanos, afterFetch);
        boolean accepted = signal.present()
                ? poller.attemptAtPace(remaining(deadline), validationPace, signal::sleep, finaliseNow)
                : poller.attemptAtPace(remaining(deadline), validationPace, finaliseNow);
        if (accepted) {
            if (signal.endedEarly()) {
                fetchPace.record(true, Duration.ZERO);
            }
            awaited.forEach(a -> a.verified().run()); // the CA accepted the CSR, so every authorization is valid
            return true;
        }
        // Too early: the first wait teaches the pace that decided how long validation took.
        Duration fetchedAfterTrigger = signal.endedEarly()
                ? Duration.between(triggered, clock.instant().minus(signal.sinceLastFetch())) : Duration.ZERO;
        boolean first = true;
        for (Awaited a : awaited) {
            Duration pending = poller.awaitAfter(a.what(), remaining(deadline), first ? pace.dividedBy(4) : Duration.ZERO,
                    pace.dividedBy(4), first && !signal.endedEarly() ? validationPace : null, triggered, a.poll());
            if (first && signal.endedEarly()) {
                // The signal came too early: the CA validates for a while after its fetch (another perspective, a
                // slow CA). Its pace learns how long; the validation pace only if it would have been too early too.
                fetchPace.record(false, pending.minus(fetchedAfterTrigger));
                if (pending.compareTo(pace) >= 0) {
                    validationPace.record(false, pending);
                }
            }
            a.verified().run();
            first = false; // validated in parallel: the others are likely done too
        }
        return false;
    }

    private Duration remaining(Instant deadline) {
        Duration d = Duration.between(clock.instant(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
