package dev.autocert4j.internal.dns;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.ZoneLookup;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Finds the zone a TXT record goes into, cheapest source first: the zones configured on the
 * solver (the longest that holds the name), then the provider's own knowledge ({@link ZoneLookup}),
 * and only then the SOA walk, the one step that queries DNS. Thread-safe.
 */
public final class ZoneFinder {
    private final List<Name> configured;
    private final DnsProvider provider;
    private final DnsLookups lookups;

    /**
     * @param configured zone apexes configured on the solver; may be empty
     * @param provider the provider, asked when it implements {@link ZoneLookup}
     * @param lookups the DNS lookups for the SOA walk
     */
    public ZoneFinder(List<Name> configured, DnsProvider provider, DnsLookups lookups) {
        this.configured = List.copyOf(configured);
        this.provider = requireNonNull(provider, "provider");
        this.lookups = requireNonNull(lookups, "lookups");
    }

    /**
     * @param name an absolute record name
     * @return the apex of the zone that holds it
     * @throws SolverException when the provider fails, names a zone that does not hold the name, or
     *     the SOA walk fails
     */
    public Name zoneOf(Name name) throws SolverException {
        Optional<Name> fromConfiguration = configured.stream().filter(name::subdomain)
                .max((a, b) -> Integer.compare(a.labels(), b.labels()));
        if (fromConfiguration.isPresent()) {
            return fromConfiguration.get();
        }
        if (provider instanceof ZoneLookup lookup) {
            Optional<String> zone = lookup.zoneOf(DnsLookups.text(name));
            if (zone.isPresent()) {
                Name apex = DnsLookups.absolute(zone.get());
                if (!name.subdomain(apex)) {
                    throw new SolverException("The provider " + provider.id() + " named the zone " + zone.get() + " for "
                            + DnsLookups.text(name) + ", which does not hold that name: fix the provider's ZoneLookup", false, null);
                }
                return apex;
            }
        }
        return lookups.findZone(name);
    }
}
