package dev.autocert4j.internal.dns;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.internal.acme.Poller;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.Dns01Solver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/** Asks the authoritative nameservers (and, if wanted, the resolvers) whether a TXT value is visible yet. */
public final class PropagationCheck {
    // Logged under the solver's name, as before this check moved out of it.
    private static final Logger LOG = LoggerFactory.getLogger(Dns01Solver.class);

    private final DnsLookups lookups;
    private final Name name;
    private final String value;
    private final Map<String, List<InetSocketAddress>> authoritative;
    private final List<InetSocketAddress> resolvers;

    /**
     * @param lookups the lookups to ask with
     * @param name the record's name
     * @param value the TXT value to find
     * @param authoritative the zone's nameservers by host name, with their addresses
     * @param resolvers recursive resolvers to ask as well; empty to ask only the authoritative servers
     */
    public PropagationCheck(DnsLookups lookups, Name name, String value, Map<String, List<InetSocketAddress>> authoritative,
            List<InetSocketAddress> resolvers) {
        this.lookups = requireNonNull(lookups, "lookups");
        this.name = requireNonNull(name, "name");
        this.value = requireNonNull(value, "value");
        this.authoritative = requireNonNull(authoritative, "authoritative"); // not copied: keeps the order of the hosts
        this.resolvers = List.copyOf(resolvers);
    }

    /**
     * Which servers do not answer the value yet. A nameserver counts as having it when every
     * address of it that answers has it and at least one answers: an address this host cannot
     * reach (IPv6 without IPv6 connectivity) does not hold the check up forever.
     *
     * @return the servers still missing the value, described for a message; empty when it is visible everywhere
     */
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<InetSocketAddress>> host : authoritative.entrySet()) {
            List<String> unreachable = new ArrayList<>();
            int reachable = 0;
            for (InetSocketAddress address : host.getValue()) {
                List<String> values;
                try {
                    values = lookups.txtValues(address, name, false);
                } catch (IOException e) {
                    unreachable.add(format(address) + ": " + Messages.describe(e));
                    continue;
                }
                reachable++;
                if (!values.contains(value)) {
                    missing.add(host.getKey() + " (" + format(address) + ")");
                }
            }
            if (reachable == 0) {
                missing.add(host.getKey() + " (unreachable: " + unreachable + ")");
            } else if (!unreachable.isEmpty()) {
                LOG.debug("Ignoring unreachable addresses of {}: {}", host.getKey(), unreachable);
            }
        }
        for (InetSocketAddress server : resolvers) {
            try {
                if (!lookups.txtValues(server, name, true).contains(value)) {
                    missing.add("resolver " + format(server));
                }
            } catch (IOException e) {
                missing.add("resolver " + format(server) + " (" + Messages.describe(e) + ")");
            }
        }
        return missing;
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * Polls {@link #missing()} with {@code poller} (a first check after 20 ms, growing up to its longest pause)
     * until every server answers the value.
     *
     * @param poller paces the checks
     * @param clock the poller's time source
     * @param limit when to give up
     * @param fqdn the record's name, for messages
     * @param hint what to check when it never becomes visible
     * @throws SolverException (retryable) naming the servers that still miss the value at {@code limit}
     * @throws InterruptedException when interrupted while waiting
     */
    public void await(Poller poller, Clock clock, Instant limit, String fqdn, String hint)
            throws SolverException, InterruptedException {
        Instant start = clock.instant();
        List<String> stillMissing = new ArrayList<>();
        try {
            poller.await("TXT " + fqdn, Duration.between(start, limit), () -> {
                List<String> now = missing();
                stillMissing.clear();
                stillMissing.addAll(now);
                return now.isEmpty() ? Poller.Result.finished() : Poller.Result.pending(Optional.empty());
            });
        } catch (SolverException e) {
            throw e;
        } catch (AutocertException timeout) {
            throw new SolverException("The TXT record " + fqdn + " did not become visible within "
                    + Duration.between(start, clock.instant()).toMillis() + " ms: not yet on " + stillMissing + ". " + hint,
                    true, null);
        }
    }
}
