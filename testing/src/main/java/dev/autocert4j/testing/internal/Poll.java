package dev.autocert4j.testing.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with one deadline: checks at once, then every {@link #INTERVAL}, and fails with a message
 * built only when it times out. The one wait loop of the harness (process start, ports, container logs).
 */
public final class Poll {
    /** The pause between two checks: short, since every condition here is a cheap local check. */
    public static final Duration INTERVAL = Duration.ofMillis(25);

    private Poll() {
    }

    /**
     * @param timeout how long to wait at most
     * @param condition checked until it holds; may throw IllegalStateException to stop early
     * @param timedOut the message when the timeout passes
     * @throws IllegalStateException when the timeout passes or the thread is interrupted
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> timedOut) {
        until(timeout, INTERVAL, condition, timedOut);
    }

    /**
     * The same with a pause of its own: for a condition that costs more than a local check (a TLS handshake).
     *
     * @param timeout how long to wait at most
     * @param interval the pause between two checks
     * @param condition checked until it holds; may throw IllegalStateException to stop early
     * @param timedOut the message when the timeout passes
     * @throws IllegalStateException when the timeout passes or the thread is interrupted
     */
    public static void until(Duration timeout, Duration interval, BooleanSupplier condition, Supplier<String> timedOut) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(timedOut.get());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting: " + timedOut.get(), e);
            }
        }
    }
}
