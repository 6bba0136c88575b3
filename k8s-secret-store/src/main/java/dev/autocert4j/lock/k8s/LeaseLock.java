package dev.autocert4j.lock.k8s;

import dev.autocert4j.lock.LockProvider;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A lock held through one Lease; closing it hands it back to its provider once. It counts as held
 * until its renew deadline has passed since the last write of ours that the API server accepted
 * (counted from before that write was sent, on the monotonic clock), or until the Lease was seen
 * in other hands: other holders wait a whole lease duration from when they saw our last write,
 * so they cannot take it while this lock still says it is held.
 */
final class LeaseLock implements LockProvider.Lock {
    final String name;
    final String leaseName;
    final AtomicBoolean released = new AtomicBoolean();
    /** True until the provider hands the lock out: the renewal thread leaves it alone meanwhile. */
    volatile boolean taking = true;
    /** Set once the lock is lost; never cleared. */
    final AtomicBoolean lost = new AtomicBoolean();
    /**
     * The Lease as the API server returned it after our last accepted write (its resourceVersion included); null
     * while the lock is being taken. A renewal writes over it directly: accepted, it proves nobody wrote since.
     */
    volatile Lease lastWrite;
    /** Monotonic time just before our last accepted write was sent. */
    private volatile long validSince;
    private final String namespace;
    private final long renewDeadlineNanos;
    private final LongSupplier nanoTime;
    private final Consumer<LeaseLock> release;

    /**
     * @param renewDeadlineNanos how long after a write the lock counts as held without another
     * @param release clears the Lease's holder and forgets the lock; runs on the first close only
     */
    LeaseLock(String name, String leaseName, String namespace, long renewDeadlineNanos, LongSupplier nanoTime,
            Consumer<LeaseLock> release) {
        this.name = name;
        this.leaseName = leaseName;
        this.namespace = namespace;
        this.renewDeadlineNanos = renewDeadlineNanos;
        this.nanoTime = nanoTime;
        this.release = release;
    }

    /** Records a write of ours that the API server accepted ({@code accepted}, as it answered), sent at {@code sentAt} (monotonic). */
    void renewed(Lease accepted, long sentAt) {
        validSince = sentAt;
        lastWrite = accepted;
    }

    /** @return how long since our last accepted write was sent, in nanoseconds */
    long sinceLastRenewal() {
        return nanoTime.getAsLong() - validSince;
    }

    /** {@inheritDoc} False once the renew deadline passed without a renewal, or the Lease is someone else's. */
    @Override
    public boolean isHeld() {
        return !released.get() && !checkLost();
    }

    /** @return whether the lock is lost: seen in other hands, or not renewed within the deadline (then marked lost) */
    boolean checkLost() {
        if (!lost.get() && lastWrite != null && sinceLastRenewal() >= renewDeadlineNanos) {
            lost.set(true);
        }
        return lost.get();
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            release.accept(this);
        }
    }

    @Override
    public String toString() {
        return "Lease " + namespace + "/" + leaseName + " for lock " + name;
    }
}
