package dev.autocert4j.solver.http.ingress.internal;

/**
 * At most so many API lookups per second (a fixed one-second window), so that requests for
 * made-up tokens cannot flood the API server. Thread-safe.
 */
final class LookupBudget {
    private final int perSecond;
    private long windowStart;
    private int inWindow;

    LookupBudget(int perSecond) {
        this.perSecond = perSecond;
    }

    /** @return whether one more lookup fits into this second */
    synchronized boolean take() {
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            inWindow = 0;
        }
        return ++inWindow <= perSecond;
    }

    int perSecond() {
        return perSecond;
    }
}
