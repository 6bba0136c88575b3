package dev.autocert4j.lock.k8s;

import dev.autocert4j.lock.LockProvider;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A lock held through one Lease; closing it hands it back to its provider once. */
final class LeaseLock implements LockProvider.Lock {
    final String name;
    final String leaseName;
    final AtomicBoolean released = new AtomicBoolean();
    /** The Lease's resourceVersion after our last write; null while the lock is being taken. */
    volatile String resourceVersion;
    private final String namespace;
    private final Consumer<LeaseLock> release;

    /**
     * @param release clears the Lease's holder and forgets the lock; runs on the first close only
     */
    LeaseLock(String name, String leaseName, String namespace, Consumer<LeaseLock> release) {
        this.name = name;
        this.leaseName = leaseName;
        this.namespace = namespace;
        this.release = release;
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
