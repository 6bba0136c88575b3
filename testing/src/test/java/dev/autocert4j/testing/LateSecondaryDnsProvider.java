package dev.autocert4j.testing;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A zone served by two nameservers where the second gets each change late, as a secondary does: records go to the
 * primary through RFC 2136 at once, and to the second server (its own BIND, same zone) with a second RFC 2136
 * update {@code lag} later, or never. Deletes go to both.
 */
final class LateSecondaryDnsProvider implements DnsProvider, AutoCloseable {
    private final DnsProvider primary;
    private final DnsProvider secondary;
    private final Duration lag;
    private final ScheduledExecutorService copier = Executors.newSingleThreadScheduledExecutor();
    /** Failures of the late copies, for the test to check. */
    final List<Exception> copyFailures = new CopyOnWriteArrayList<>();

    /** @param lag how late the second server gets a record; negative: never */
    LateSecondaryDnsProvider(BindServer primary, BindServer secondary, Duration lag) {
        this.primary = Dns01IT.rfc2136(primary.address(), primary.tsigSecret());
        this.secondary = Dns01IT.rfc2136(secondary.address(), secondary.tsigSecret());
        this.lag = lag;
    }

    @Override
    public String id() {
        return "late-secondary/" + primary.id();
    }

    @Override
    public String createTxtRecord(TxtRecord record) throws SolverException {
        String handle = primary.createTxtRecord(record);
        if (!lag.isNegative()) {
            copier.schedule(() -> {
                try {
                    secondary.createTxtRecord(record);
                } catch (SolverException | RuntimeException e) {
                    copyFailures.add(e);
                }
            }, lag.toMillis(), TimeUnit.MILLISECONDS);
        }
        return handle;
    }

    @Override
    public void deleteTxtRecord(String handle) throws SolverException {
        primary.deleteTxtRecord(handle);
        secondary.deleteTxtRecord(handle); // the handle names zone, name and value: valid on both servers
    }

    @Override
    public void close() {
        copier.shutdownNow();
    }
}
