package dev.autocert4j.lock;

import dev.autocert4j.AutocertException;
import java.time.Duration;

/**
 * Mutual exclusion between managers that share a store, so that one certificate is ordered once.
 * Implementations MUST be safe for concurrent use and MUST release a lock when its holder dies
 * (a file lock dies with the process, a Lease expires).
 *
 * <p>A lock that can be lost while its holder still runs (a Lease whose renewal did not reach the
 * API server in time) MUST say so through {@link Lock#isHeld()}, and MUST say so before another
 * holder can take it: the engine checks it right before it saves, so that two managers never
 * both store a certificate they ordered under one lock.
 */
public interface LockProvider {
    /** A held lock; closing releases it. */
    interface Lock extends AutoCloseable {
        /**
         * Whether this lock is still held by its holder. Once false it stays false. Work done
         * under a lock that is no longer held MUST NOT be saved: another holder may be doing the
         * same work. The default, for locks that are only lost with their process (a file lock,
         * an in-JVM lock), is {@code true}.
         *
         * @return false when the lock was lost (or released)
         */
        default boolean isHeld() {
            return true;
        }

        /** Releases the lock; idempotent. */
        @Override
        void close();
    }

    /**
     * Blocks until the named lock is held.
     *
     * @param name the lock's name, e.g. {@code certificate/default/www}
     * @param timeout how long to wait
     * @return the held lock
     * @throws AutocertException (retryable) when the lock was not acquired in time, or the lock
     *     backend failed
     * @throws InterruptedException when interrupted while waiting
     */
    Lock acquire(String name, Duration timeout) throws AutocertException, InterruptedException;

    /** @return a lock provider that coordinates the threads of this JVM only */
    static LockProvider inJvm() {
        return dev.autocert4j.internal.engine.InJvmLockProvider.shared();
    }
}
