package dev.autocert4j.internal.dns;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.acme.Poller;
import dev.autocert4j.solver.SolverException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * How a DNS-01 solver waits until a record is visible: polls the authoritative nameservers (and optionally the
 * resolvers) at most {@code pollInterval} apart for at most {@code propagationTimeout}, or waits a fixed time
 * instead. The clock and the sleeper are the system's outside tests. Immutable and thread-safe.
 */
public final class PropagationWait {
    private static final Logger LOG = LoggerFactory.getLogger("dev.autocert4j.solver.dns.Dns01Solver");

    private final DnsLookups lookups;
    private final List<InetSocketAddress> resolvers;
    private final Duration pollInterval;
    private final Duration propagationTimeout;
    private final Duration fixedWait;
    private final Clock clock;
    private final Poller.Sleeper sleeper;

    /**
     * @param lookups the lookups to ask with
     * @param resolvers resolvers that must answer the value too; empty to ask only the authoritative servers
     * @param pollInterval the longest pause between two checks
     * @param propagationTimeout how long to wait at most
     * @param fixedWait null to check; otherwise wait this long and check nothing
     * @param clock the time source of the wait's deadline
     * @param sleeper how to pause
     */
    public PropagationWait(DnsLookups lookups, List<InetSocketAddress> resolvers, Duration pollInterval,
            Duration propagationTimeout, Duration fixedWait, Clock clock, Poller.Sleeper sleeper) {
        this.lookups = requireNonNull(lookups, "lookups");
        this.resolvers = List.copyOf(resolvers);
        this.pollInterval = requireNonNull(pollInterval, "pollInterval");
        this.propagationTimeout = requireNonNull(propagationTimeout, "propagationTimeout");
        this.fixedWait = fixedWait;
        this.clock = requireNonNull(clock, "clock");
        this.sleeper = requireNonNull(sleeper, "sleeper");
    }

    /** @return whether nameservers are checked at all (false with a fixed wait) */
    public boolean checks() {
        return fixedWait == null;
    }

    /**
     * @param name the record's name
     * @param value the TXT value
     * @param authoritative the zone's nameservers by host name, with their addresses
     * @param deadline the order's deadline, which bounds the wait too
     * @param hint what to check when the value never becomes visible
     * @throws SolverException (retryable) naming the servers that still miss the value at the limit
     * @throws InterruptedException when interrupted while waiting
     */
    public void await(Name name, String value, Map<String, List<InetSocketAddress>> authoritative, Instant deadline, String hint)
            throws SolverException, InterruptedException {
        Instant start = clock.instant();
        Instant own = start.plus(checks() ? propagationTimeout : fixedWait);
        Instant limit = deadline.isBefore(own) ? deadline : own;
        String fqdn = DnsLookups.text(name);
        if (!checks()) {
            long millis = Duration.between(start, limit).toMillis();
            if (millis > 0) {
                sleeper.sleep(millis);
            }
            LOG.info("Waited {} for TXT {} (no propagation check)", fixedWait, fqdn);
            return;
        }
        new PropagationCheck(lookups, name, value, authoritative, resolvers)
                .await(new Poller(pollInterval, clock, sleeper), clock, limit, fqdn, hint);
        LOG.info("TXT {} is visible on {} authoritative nameserver(s){} after {} ms", fqdn, authoritative.size(),
                resolvers.isEmpty() ? "" : " and " + resolvers.size() + " resolver(s)",
                Duration.between(start, clock.instant()).toMillis());
    }
}
