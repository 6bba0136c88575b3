package dev.autocert4j.internal.acme;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes an issuer's new orders and authorization reads take turns, while its other requests
 * (challenges, finalising, order polls, downloads) still overlap across its sessions.
 *
 * <p>Why: Pebble, the CA every test and benchmark here runs against, deadlocks when they overlap
 * (2.4, and its main branch as of 2026). Its authorization handler holds the authorization's lock
 * while it takes its store's read lock ({@code wfe.go} {@code Authz}, then {@code getAcctByKey});
 * a new order holds the store's read lock while it takes every authorization's
 * ({@code memorystore.go} {@code FindValidAuthorization}); once a third request waits to write the
 * store, no request is answered again. With one acme4j session per issuer the client never
 * overlapped requests, so this never showed; with several ({@link AcmeSessions}' lanes) Pebble
 * stopped answering within a few thousand certificates at concurrency 16 (its goroutine dump showed
 * exactly those three). The two kinds are two of an order's six requests, so taking turns costs a
 * CA that answers in 1.5 ms a ceiling near 300 certificates a second. Thread-safe.
 */
final class NewOrderGate {
    private final ReentrantLock turn = new ReentrantLock();

    /** One call of its kind. */
    @FunctionalInterface
    interface Call<T, E extends Exception> {
        /**
         * @return the call's result
         * @throws E when it fails
         */
        T run() throws E;
    }

    /**
     * @param <T> the result type
     * @param <E> what the call throws
     * @param call a new order, or reads of authorizations, made once no other thread's is under way
     * @return the call's result
     * @throws E what the call throws
     */
    <T, E extends Exception> T inTurn(Call<T, E> call) throws E {
        turn.lock();
        try {
            return call.run();
        } finally {
            turn.unlock();
        }
    }
}
