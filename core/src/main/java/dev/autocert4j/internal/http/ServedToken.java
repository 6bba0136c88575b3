package dev.autocert4j.internal.http;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.locks.LockSupport;

/**
 * One presented token's answer and the record of its fetches. Recording a fetch is one volatile
 * write, one volatile read and, while an order waits, an unpark: no allocation, no lock, so a
 * client that asks for the token again and again costs the responder nothing more than answering.
 * Thread-safe.
 */
public final class ServedToken implements FetchedToken {
    private final String keyAuthorization;
    private volatile long lastFetchNanos = System.nanoTime();
    private volatile Thread waiter;

    /** @param keyAuthorization the answer to a request for the token */
    public ServedToken(String keyAuthorization) {
        this.keyAuthorization = requireNonNull(keyAuthorization, "keyAuthorization");
    }

    /**
     * Records a request for the token and returns its answer.
     *
     * @return the key authorization
     */
    public String fetched() {
        lastFetchNanos = System.nanoTime();
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        return keyAuthorization;
    }

    @Override
    public long lastFetchNanos() {
        return lastFetchNanos;
    }

    @Override
    public void wakeOnFetch(Thread waiter) {
        this.waiter = waiter;
    }

    /** The key authorization is not a secret, but it has no place in a log line either. */
    @Override
    public String toString() {
        return "ServedToken";
    }
}
