package dev.autocert4j.testing;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a real provider for tests: records what was created, knows which records are still
 * live, and can hold a record back from DNS for a while (or forever) to exercise the
 * propagation check.
 */
final class RecordingDnsProvider implements DnsProvider, AutoCloseable {
    private final DnsProvider delegate;
    private final Duration publishDelay;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final List<TxtRecord> created = new CopyOnWriteArrayList<>();
    /** Our handle → the delegate's handle, or null while not yet published. */
    private final Map<String, Publication> live = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger deletes = new java.util.concurrent.atomic.AtomicInteger();

    private static final class Publication {
        volatile String handle;
        volatile ScheduledFuture<?> pending;
    }

    /** @param publishDelay null: publish at once; a negative duration: never publish */
    RecordingDnsProvider(DnsProvider delegate, Duration publishDelay) {
        this.delegate = delegate;
        this.publishDelay = publishDelay;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public String createTxtRecord(TxtRecord record) throws SolverException {
        created.add(record);
        String ours = "recorded-" + created.size() + "-" + record.fqdn();
        Publication p = new Publication();
        live.put(ours, p);
        if (publishDelay == null) {
            p.handle = delegate.createTxtRecord(record);
        } else if (!publishDelay.isNegative()) {
            p.pending = scheduler.schedule(() -> {
                p.handle = delegate.createTxtRecord(record);
                return null;
            }, publishDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return ours;
    }

    @Override
    public void deleteTxtRecord(String handle) throws SolverException {
        deletes.incrementAndGet();
        Publication p = live.get(handle);
        if (p == null) {
            return;
        }
        if (p.pending != null) {
            p.pending.cancel(false);
            try {
                p.pending.get();
            } catch (Exception e) {
                // cancelled, or published: the handle tells
            }
        }
        if (p.handle != null) {
            delegate.deleteTxtRecord(p.handle);
        }
        live.remove(handle);
    }

    /** @return how often deleteTxtRecord was called */
    int deletes() {
        return deletes.get();
    }

    /** @return how many created records were not deleted */
    int liveRecords() {
        return live.size();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
