package dev.autocert4j.internal.engine;

import dev.autocert4j.AutocertException;
import dev.autocert4j.lock.LockProvider;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Named locks inside one JVM. Locks are kept per name for the life of the provider (a few bytes
 * per certificate). Thread-safe.
 */
public final class InJvmLockProvider implements LockProvider {
    private static final InJvmLockProvider SHARED = new InJvmLockProvider();

    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** @return the provider shared by every manager of this JVM that has no other lock provider */
    public static InJvmLockProvider shared() {
        return SHARED;
    }

    @Override
    public Lock acquire(String name, Duration timeout) throws AutocertException, InterruptedException {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AutocertException("Timed out after " + timeout + " waiting for lock " + name, true);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                lock.unlock();
            }
        };
    }
}
