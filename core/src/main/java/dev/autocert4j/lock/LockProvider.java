package dev.autocert4j.lock;

import dev.autocert4j.AutocertException;
import java.time.Duration;

/**
 * Mutual exclusion between managers that share a store, so that one certificate is ordered once.
 * Implementations MUST be safe for concurrent use and MUST release a lock when its holder dies
 * (a file lock dies with the process, a Lease expires).
 */
public interface LockProvider {
    /** A held lock; closing releases it. */
    interface Lock extends AutoCloseable {
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
