package dev.autocert4j.internal.acme;

import java.time.Duration;

/**
 * How long one issuer takes for one kind of work (validating an authorization, issuing after
 * finalize), learnt from what it did: the wait before the first poll that is right about 95 % of
 * the time. A CA that validates in 3 ms is first asked after a few milliseconds instead of 20; one
 * that takes seconds is not asked a dozen times before it can be done.
 *
 * <p>The estimate is a running percentile kept by stochastic approximation in the log domain, one
 * number in memory: each order whose first poll found the work done lowers it a little, each whose
 * first poll was too early raises it a lot (doubling, and at least to the time at which the work was
 * seen still pending). At equilibrium the first poll is too early for about
 * {@code shrink / (shrink + ln 2)} of orders, about 5 %; one slow outlier raises the estimate for a
 * while and is then forgotten, so it is robust in the way a percentile is. The first orders move it
 * faster, so that a new issuer's pace is found within a few orders.
 *
 * <p>Thread-safe: concurrent orders of one issuer share it.
 */
public final class PaceEstimate {
    /** Below this a poll costs more than it saves. */
    static final Duration FLOOR = Duration.ofMillis(1);
    /** Above this the estimate says nothing useful; the order deadline bounds waiting anyway. */
    static final Duration CAP = Duration.ofMinutes(10);
    private static final double GROW = Math.log(2);
    private static final double SHRINK = 0.04;
    private static final double SHRINK_WHILE_LEARNING = 0.2;
    private static final int LEARNING_ORDERS = 16;

    private double logMillis;
    private int observations;

    /** @param initial the first guess, before the issuer has been seen */
    public PaceEstimate(Duration initial) {
        this.logMillis = Math.log(clampMillis(initial.toNanos() / 1e6));
    }

    /** @return how long to wait before the first poll */
    public synchronized Duration firstPoll() {
        return Duration.ofNanos(Math.round(Math.exp(logMillis) * 1e6));
    }

    /**
     * Learns from one completed wait.
     *
     * @param doneAtFirstPoll whether the first poll, made after {@link #firstPoll()}, found the work done
     * @param lastPending how long after the start the work was last seen pending; zero if never
     */
    public synchronized void record(boolean doneAtFirstPoll, Duration lastPending) {
        observations++;
        if (doneAtFirstPoll) {
            logMillis -= observations <= LEARNING_ORDERS ? SHRINK_WHILE_LEARNING : SHRINK;
        } else {
            // the work took longer than lastPending for sure: never first-poll below what was just seen
            logMillis = Math.max(logMillis + GROW, Math.log(clampMillis(lastPending.toNanos() / 1e6)));
        }
        logMillis = Math.log(clampMillis(Math.exp(logMillis)));
    }

    private static double clampMillis(double millis) {
        return Math.max(FLOOR.toMillis(), Math.min(CAP.toMillis(), millis));
    }

    @Override
    public synchronized String toString() {
        return "PaceEstimate[firstPoll=" + firstPoll().toMillis() + " ms after " + observations + " orders]";
    }
}
