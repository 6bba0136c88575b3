package dev.autocert4j.testing.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.lang.reflect.Field;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The watches of one mock server: how many are open, and a watch's end made safe for the changes under way. fabric8
 * 8.0.0's {@code WatchEventsListener} shuts its sender down before it leaves the dispatcher's set of watches; since
 * {@link WatchCloseOffEventLoop} ends watches off the event loop, a change (a DELETE) could hand an event to such a
 * watch in between, whose refused send failed the change's request, which then went unanswered (a 10 s client
 * timeout). So an ending watch first leaves the set, then waits for the changes that may still be sending to it.
 * Thread-safe.
 */
final class ServerWatches {
    private final AtomicInteger open = new AtomicInteger();
    private final Set<?> listening;
    private final ReadWriteLock sending = new ReentrantReadWriteLock();

    ServerWatches(KubernetesCrudDispatcher dispatcher) {
        this.listening = listenersOf(dispatcher);
    }

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    /**
     * Runs a change that may send events to watches; an ending watch waits for it.
     *
     * @param change the dispatcher's handling of a create, update, patch or delete
     * @param <T> its response
     * @return its response
     */
    <T> T change(Supplier<T> change) {
        Lock lock = sending.readLock();
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes an ending watch out of the dispatcher's set: no change started after this sends to it.
     *
     * @param watch the dispatcher's listener of the watch
     */
    void forget(WebSocketListener watch) {
        listening.remove(watch);
    }

    /** Waits until the changes under way, which may have seen a forgotten watch, have handed out their events. */
    void awaitChangesUnderWay() {
        Lock lock = sending.writeLock();
        lock.lock(); // off the event loop: a change holds its lock only while it runs on the event loop, never waiting
        lock.unlock();
    }

    /** The dispatcher keeps its watches in a private set (8.0.0); without it, a watch's end cannot be made safe. */
    private static Set<?> listenersOf(KubernetesCrudDispatcher dispatcher) {
        try {
            Field field = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
            field.setAccessible(true);
            return (Set<?>) field.get(dispatcher);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("fabric8's KubernetesCrudDispatcher has no watchEventListeners set any more "
                    + "(it had in 8.0.0): see whether its watches still leave it before their sender stops, and adapt "
                    + "ServerWatches", e);
        }
    }
}
