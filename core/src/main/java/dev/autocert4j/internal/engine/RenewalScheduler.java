package dev.autocert4j.internal.engine;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task per key at the time the task itself asks for next, for thousands of keys, with one
 * timer thread and a bounded pool for the tasks.
 *
 * <p>The timer thread sleeps until the earliest due time (at most {@link #MAX_SLEEP}, so that a
 * jump of the wall clock, after a suspend for instance, is noticed), then hands due keys to the
 * pool. A key's task returns the next time it wants to run; a key never runs twice at once.
 * {@link #runDue()} runs what is due on the calling thread instead, for tests that move a clock.
 */
public final class RenewalScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RenewalScheduler.class);
    /** The longest the timer sleeps before it reads the clock again. */
    static final Duration MAX_SLEEP = Duration.ofMinutes(1);
    /** How long an issuance thread waits for work before it ends, so that an idle manager keeps only its timer. */
    static final Duration IDLE_THREAD_END = Duration.ofMinutes(1);

    private record Due(Instant at, long sequence, String key) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /** The state of one key: its current due entry (older entries in the queue are stale) and whether it runs. */
    private static final class Slot {
        Due due;
        boolean running;
        boolean rerun;
    }

    private final Clock clock;
    private final Function<String, Instant> task;
    private final int concurrency;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Due> queue = new PriorityQueue<>();
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private long sequence;
    private Thread timer;
    private ExecutorService pool;
    private boolean closed;

    /**
     * @param clock the time source
     * @param task runs for a key and returns when it wants to run next; must not throw
     * @param concurrency how many tasks run at once in the background
     */
    public RenewalScheduler(Clock clock, Function<String, Instant> task, int concurrency) {
        this.clock = requireNonNull(clock, "clock");
        this.task = requireNonNull(task, "task");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.concurrency = concurrency;
    }

    /**
     * Runs {@code key}'s task at {@code at} (or at once when it is past), replacing its earlier time.
     *
     * @param key the key
     * @param at when
     */
    public void schedule(String key, Instant at) {
        lock.lock();
        try {
            Slot slot = slots.computeIfAbsent(key, k -> new Slot());
            if (slot.running) {
                slot.rerun = true;
                slot.due = new Due(at, sequence++, key);
                return; // queued when the running task ends, at the earlier of both times
            }
            slot.due = new Due(at, sequence++, key);
            queue.add(slot.due);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @param key a key no longer run */
    public void cancel(String key) {
        lock.lock();
        try {
            Slot slot = slots.remove(key);
            if (slot != null) {
                slot.due = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param key a key
     * @return when its task runs next, or null when it is not scheduled or is running
     */
    public Instant nextRun(String key) {
        lock.lock();
        try {
            Slot slot = slots.get(key);
            return slot == null || slot.running || slot.due == null ? null : slot.due.at();
        } finally {
            lock.unlock();
        }
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Starts the timer thread and the pool; idempotent. */
    public void start() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this manager was closed: build a new one");
            }
            if (timer != null) {
                return;
            }
            AtomicInteger threads = new AtomicInteger();
            pool = new ThreadPoolExecutor(concurrency, concurrency, IDLE_THREAD_END.toMillis(), TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "autocert4j-renewal-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            ((ThreadPoolExecutor) pool).allowCoreThreadTimeOut(true);
            timer = new Thread(this::timerLoop, "autocert4j-scheduler");
            timer.setDaemon(true);
            timer.start();
        } finally {
            lock.unlock();
        }
    }

    private void timerLoop() {
        lock.lock();
        try {
            while (!closed) {
                Due head = pollDue();
                if (head != null) {
                    Slot slot = slots.get(head.key());
                    slot.running = true;
                    try {
                        pool.execute(() -> run(head.key()));
                    } catch (RejectedExecutionException e) {
                        slot.running = false; // closing
                    }
                    continue;
                }
                Due next = queue.peek();
                long waitNanos = next == null ? MAX_SLEEP.toNanos()
                        : Math.min(MAX_SLEEP.toNanos(), Math.max(1, Duration.between(clock.instant(), next.at()).toNanos()));
                changed.awaitNanos(waitNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the earliest due, current, idle entry; skips stale ones. Holds the lock. */
    private Due pollDue() {
        Instant now = clock.instant();
        while (!queue.isEmpty()) {
            Due head = queue.peek();
            Slot slot = slots.get(head.key());
            if (slot == null || slot.due != head || slot.running) {
                queue.poll(); // stale: rescheduled, cancelled, or rescheduled while running
                continue;
            }
            if (head.at().isAfter(now)) {
                return null;
            }
            return queue.poll();
        }
        return null;
    }

    private void run(String key) {
        Instant next;
        try {
            next = task.apply(key);
        } catch (RuntimeException e) {
            LOG.error("Renewal task of {} failed unexpectedly; retrying in an hour", key, e);
            next = clock.instant().plus(Duration.ofHours(1));
        }
        finish(key, next);
    }

    private void finish(String key, Instant next) {
        lock.lock();
        try {
            Slot slot = slots.get(key);
            if (slot == null) {
                return; // cancelled while running
            }
            slot.running = false;
            Instant at = next;
            if (slot.rerun && slot.due != null && slot.due.at().isBefore(at)) {
                at = slot.due.at();
            }
            slot.rerun = false;
            slot.due = new Due(at, sequence++, key);
            queue.add(slot.due);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs every task that is due now on the calling thread, one after the other, and schedules
     * each at the time it returns. Tasks that come due only through this run wait for the next call.
     *
     * @return the keys that ran, in due order
     */
    public List<String> runDue() {
        List<String> ran = new ArrayList<>();
        List<Due> due = new ArrayList<>();
        lock.lock();
        try {
            for (Due d = pollDue(); d != null; d = pollDue()) {
                slots.get(d.key()).running = true;
                due.add(d);
            }
        } finally {
            lock.unlock();
        }
        for (Due d : due) {
            run(d.key());
            ran.add(d.key());
        }
        return ran;
    }

    /** @return the pool of task threads, null before {@link #start()}; for tests */
    ThreadPoolExecutor pool() {
        lock.lock();
        try {
            return (ThreadPoolExecutor) pool;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the timer and the pool; running tasks are interrupted after 10 seconds. */
    @Override
    public void close() {
        Thread t;
        ExecutorService p;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            t = timer;
            p = pool;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (p != null) {
            p.shutdown();
            try {
                if (!p.awaitTermination(10, TimeUnit.SECONDS)) {
                    p.shutdownNow();
                }
            } catch (InterruptedException e) {
                p.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
