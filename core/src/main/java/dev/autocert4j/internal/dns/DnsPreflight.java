package dev.autocert4j.internal.dns;

import dev.autocert4j.Identifier;
import dev.autocert4j.PreflightException;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.ZonePreflight;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;

/**
 * The DNS-01 solver's preflight: finds the zone of each record as presenting would (CNAMEs, configured zones,
 * the provider's zone lookup, the SOA walk; queries only), then lets a {@link ZonePreflight} provider check
 * its credentials and those zones. Thread-safe.
 */
public final class DnsPreflight {
    /** The name a challenge record of an identifier is written at, after CNAMEs where they are followed. */
    @FunctionalInterface
    public interface RecordNames {
        /**
         * @param identifier a DNS identifier
         * @return the absolute record name
         * @throws SolverException when a lookup fails
         */
        Name of(Identifier identifier) throws SolverException;
    }

    private final DnsProvider provider;
    private final ZoneFinder zones;
    private final RecordNames names;

    /**
     * @param provider the solver's provider
     * @param zones finds a record's zone
     * @param names where each identifier's record goes
     */
    public DnsPreflight(DnsProvider provider, ZoneFinder zones, RecordNames names) {
        this.provider = provider;
        this.zones = zones;
        this.names = names;
    }

    /**
     * @param identifiers the DNS identifiers the solver would prove
     * @throws PreflightException when a zone cannot be found, or the provider's check fails (credentials first)
     * @throws InterruptedException when interrupted
     */
    public void check(List<Identifier> identifiers) throws PreflightException, InterruptedException {
        Set<String> found = new TreeSet<>();
        SolverException failure = null;
        Identifier failed = null;
        for (Identifier identifier : identifiers) {
            if (identifier.type() != Identifier.Type.DNS) {
                continue;
            }
            try {
                found.add(DnsLookups.text(zones.zoneOf(names.of(identifier))));
            } catch (SolverException e) {
                failure = e;
                failed = identifier;
                break;
            }
        }
        if (provider instanceof ZonePreflight check) {
            check.preflight(failure == null ? found : Set.of()); // refused credentials explain a failed zone lookup best
        }
        if (failure != null) {
            throw new PreflightException("DNS-01 through " + provider.id() + ": cannot find the zone of the challenge record of "
                    + failed.value() + ": " + Messages.describe(failure),
                    failure.isRetryable(), failure);
        }
    }
}
