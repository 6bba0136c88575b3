package dev.autocert4j.internal.http;

/**
 * A challenge token that our own HTTP-01 responder serves, as the order flow sees it: when a client
 * last fetched it, and which thread to wake when one does. When the CA fetches the token after the
 * challenge was triggered, its validation is nearly done, so the flow can stop waiting early.
 * Implemented by the presentations of {@code Http01Solver}; a presentation that does not implement
 * it gives no signal, and the flow waits for the CA's learnt pace. Thread-safe.
 */
public interface FetchedToken {
    /**
     * @return {@link System#nanoTime()} of the latest request for the token, or of its presentation
     *     when nobody has asked for it yet (so it is never after a later trigger)
     */
    long lastFetchNanos();

    /**
     * @param waiter the thread to {@linkplain java.util.concurrent.locks.LockSupport#unpark unpark}
     *     at every later fetch, or null for none
     */
    void wakeOnFetch(Thread waiter);
}
