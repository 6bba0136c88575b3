package dev.autocert4j.internal.dns;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * One TXT record a DNS-01 solver presented. Closing it deletes exactly that record, once; a record that existed
 * before ({@link DnsProvider#EXISTING_RECORD}) is left alone, and its cleanup handle says so. Thread-safe.
 */
public final class TxtPresentation implements Presentation {
    private static final Logger LOG = LoggerFactory.getLogger("dev.autocert4j.solver.dns.Dns01Solver");

    private final DnsProvider provider;
    private final TxtRecord record;
    private final Name name;
    private final String handle;
    private final Map<String, List<InetSocketAddress>> authoritative;
    private final PropagationWait wait;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param provider the provider that created the record
     * @param record the record
     * @param name the record's name
     * @param handle what the provider's create returned
     * @param authoritative the zone's nameservers by host name (empty with a fixed wait)
     * @param wait how to wait for the record
     */
    public TxtPresentation(DnsProvider provider, TxtRecord record, Name name, String handle,
            Map<String, List<InetSocketAddress>> authoritative, PropagationWait wait) {
        this.provider = requireNonNull(provider, "provider");
        this.record = requireNonNull(record, "record");
        this.name = requireNonNull(name, "name");
        this.handle = requireNonNull(handle, "provider " + provider.id() + " returned a null handle");
        this.authoritative = requireNonNull(authoritative, "authoritative");
        this.wait = requireNonNull(wait, "wait");
    }

    @Override
    public Optional<String> cleanupHandle() {
        return Optional.of(TxtCleanupHandle.record(record.zone(), record.fqdn(), record.value(), handle));
    }

    @Override
    public void awaitVisible(Instant deadline) throws SolverException, InterruptedException {
        wait.await(name, record.value(), authoritative, deadline, "Check that the provider " + provider.id()
                + " writes to the zone " + record.zone() + " these servers serve, or raise the propagation timeout");
    }

    @Override
    public void close() throws SolverException {
        if (closed.compareAndSet(false, true)) {
            if (DnsProvider.EXISTING_RECORD.equals(handle)) {
                LOG.debug("Left TXT {} alone: it existed before this challenge", record.fqdn());
                return;
            }
            try {
                provider.deleteTxtRecord(handle);
                LOG.debug("Deleted TXT {} through {}", record.fqdn(), provider.id());
            } catch (SolverException | RuntimeException e) {
                closed.set(false); // a later close may retry
                throw e;
            }
        }
    }
}
