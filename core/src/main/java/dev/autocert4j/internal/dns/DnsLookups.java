package dev.autocert4j.internal.dns;

import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.solver.SolverException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS queries of DNS-01, on dnsjava, without any cache and without the system resolver:
 * CNAME chains, the zone by SOA walk, a zone's authoritative servers (their host names resolved
 * through the configured resolvers only), and TXT values on one server. Thread-safe.
 */
public final class DnsLookups {
    private static final int MAX_CNAME_HOPS = 16;

    private final List<InetSocketAddress> resolvers;
    private final Duration queryTimeout;

    /**
     * @param resolvers recursive resolvers, asked in order until one answers
     * @param queryTimeout how long to wait for one answer
     */
    public DnsLookups(List<InetSocketAddress> resolvers, Duration queryTimeout) {
        this.resolvers = List.copyOf(resolvers);
        this.queryTimeout = queryTimeout;
    }

    /**
     * @param fix how to set resolvers instead, for the message
     * @return the system's DNS servers, from {@code /etc/resolv.conf}; where a system has no such file
     *     (Windows), dnsjava's own discovery of the operating system's servers, run anew for each call
     * @throws IllegalStateException when the system has none
     */
    public static List<InetSocketAddress> systemResolvers(String fix) {
        if (!java.nio.file.Files.exists(ResolvConf.SYSTEM_FILE)) {
            List<InetSocketAddress> discovered = new org.xbill.DNS.ResolverConfig().servers();
            if (!discovered.isEmpty()) {
                return List.copyOf(discovered);
            }
        }
        return ResolvConf.servers(ResolvConf.SYSTEM_FILE, fix);
    }

    /**
     * @param zone a zone apex as configured, e.g. {@code example.com}
     * @param field the setting's name, for messages
     * @return the absolute name
     * @throws IllegalArgumentException when it is not a DNS name or not a zone apex (a wildcard, a single label)
     */
    public static Name zoneApex(String zone, String field) {
        Name apex;
        try {
            apex = absolute(zone.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " '" + zone + "' is not a DNS name: give the zone's apex, e.g. example.com", e);
        }
        if (zone.isBlank() || zone.startsWith("*") || apex.labels() < 2) {
            throw new IllegalArgumentException(field + " '" + zone + "' is not a zone apex: give a name such as example.com, "
                    + "without wildcard");
        }
        return apex;
    }

    /**
     * @param name a name with or without the trailing dot
     * @return the absolute name
     */
    public static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }

    /**
     * @param name an absolute name
     * @return its text form, lower case, without the trailing dot
     */
    public static String text(Name name) {
        String s = name.toString(true);
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Follows a CNAME chain from {@code name} to its end.
     *
     * @param name where to start
     * @return the last name of the chain; {@code name} itself when it has no CNAME
     * @throws SolverException when the chain loops or is too long, or no resolver answers
     */
    public Name followCnames(Name name) throws SolverException {
        Name current = name;
        Set<Name> seen = new HashSet<>();
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            if (!seen.add(current)) {
                throw new SolverException("The CNAME chain from " + text(name) + " loops at " + text(current)
                        + ": fix the CNAME records", false, null);
            }
            Message response = askResolvers(current, Type.CNAME);
            Name target = null;
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof CNAMERecord cname && r.getName().equals(current)) {
                    target = cname.getTarget();
                }
            }
            if (target == null) {
                return current;
            }
            current = target;
        }
        throw new SolverException("The CNAME chain from " + text(name) + " is longer than " + MAX_CNAME_HOPS
                + " hops: fix the CNAME records", false, null);
    }

    /**
     * Finds the zone that holds {@code name}: the closest enclosing name that has an SOA record.
     *
     * @param name an absolute name
     * @return the zone's apex
     * @throws SolverException when no enclosing zone is found or no resolver answers
     */
    public Name findZone(Name name) throws SolverException {
        Name candidate = name;
        while (candidate.labels() > 1) {
            Message response = askResolvers(candidate, Type.SOA);
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof SOARecord && r.getName().equals(candidate)) {
                    return candidate;
                }
            }
            candidate = new Name(candidate, 1);
        }
        throw new SolverException("No zone (SOA record) found for " + text(name) + " through the resolvers "
                + resolvers + ": check that the name is delegated, or configure resolvers that know it", true, null);
    }

    /**
     * @param zone a zone apex
     * @param port the port the authoritative servers answer on (53 outside tests)
     * @param addresses where to reach nameservers of these (absolute) names instead of their A/AAAA records and
     *     {@code port}
     * @return the zone's nameservers by host name, each with its addresses (A and AAAA), resolved
     *     through the resolvers
     * @throws SolverException when the zone has no NS records, or a nameserver's name does not resolve
     */
    public Map<String, List<InetSocketAddress>> authoritativeServers(Name zone, int port, Map<Name, InetSocketAddress> addresses)
            throws SolverException {
        List<Name> hosts = new ArrayList<>();
        for (Record r : askResolvers(zone, Type.NS).getSection(Section.ANSWER)) {
            if (r instanceof NSRecord ns && r.getName().equals(zone) && !hosts.contains(ns.getTarget())) {
                hosts.add(ns.getTarget());
            }
        }
        if (hosts.isEmpty()) {
            throw new SolverException("The zone " + text(zone) + " has no NS records at the resolvers " + resolvers
                    + ": cannot check propagation", true, null);
        }
        Map<String, List<InetSocketAddress>> servers = new LinkedHashMap<>();
        for (Name host : hosts) {
            if (addresses.containsKey(host)) {
                servers.put(text(host), List.of(addresses.get(host)));
                continue;
            }
            List<InetSocketAddress> found = new ArrayList<>();
            for (int type : new int[] {Type.A, Type.AAAA}) {
                for (Record r : askResolvers(host, type).getSection(Section.ANSWER)) {
                    InetAddress a = r instanceof ARecord v4 ? v4.getAddress() : r instanceof AAAARecord v6 ? v6.getAddress() : null;
                    if (a != null && !found.contains(new InetSocketAddress(a, port))) {
                        found.add(new InetSocketAddress(a, port));
                    }
                }
            }
            if (found.isEmpty()) {
                throw new SolverException("The nameserver " + text(host) + " of " + text(zone)
                        + " has no address at the resolvers " + resolvers, true, null);
            }
            servers.put(text(host), List.copyOf(found));
        }
        return servers;
    }

    /**
     * Asks one server directly for the TXT values of a name.
     *
     * @param server the server
     * @param name the name
     * @param recursionDesired true for a recursive resolver, false for an authoritative server
     * @return every TXT value (the strings of each record joined)
     * @throws IOException when the server does not answer or answers with an error
     */
    public List<String> txtValues(InetSocketAddress server, Name name, boolean recursionDesired) throws IOException {
        Message response = send(server, name, Type.TXT, recursionDesired);
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            throw new IOException("answered " + Rcode.string(rcode));
        }
        List<String> values = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord txt && r.getName().equals(name)) {
                values.add(String.join("", txt.getStrings()));
            }
        }
        return values;
    }

    private Message askResolvers(Name name, int type) throws SolverException {
        List<String> failures = new ArrayList<>();
        boolean unsupported = false;
        for (InetSocketAddress resolver : resolvers) {
            try {
                Message response = send(resolver, name, type, true);
                int rcode = response.getRcode();
                if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                    return response;
                }
                unsupported |= rcode == Rcode.NOTIMP || rcode == Rcode.REFUSED;
                failures.add(resolver + " answered " + Rcode.string(rcode));
            } catch (IOException e) {
                failures.add(resolver + ": " + Messages.describe(e));
            }
        }
        throw new SolverException("No resolver answered the " + Type.string(type) + " query for " + text(name)
                + ": " + failures + (unsupported ? refusedHint(type) : ""), !unsupported, null);
    }

    /** What to configure instead when the resolvers will not answer this kind of query at all. */
    private static String refusedHint(int type) {
        if (type == Type.SOA) {
            return ". These resolvers do not answer SOA queries, so the zone cannot be found by lookup: set it with "
                    + "Dns01Solver.builder().zones(\"example.com\"), use a provider that knows its zones (ZoneLookup, "
                    + "e.g. Cloudflare), or configure resolvers that answer SOA with resolvers(...)";
        }
        if (type == Type.CNAME) {
            return ". These resolvers do not answer CNAME queries: use cnameStrategy(NONE), or configure other resolvers";
        }
        return ". These resolvers do not answer " + Type.string(type) + " queries, needed to check propagation on the "
                + "zone's nameservers: skip the check with Dns01Solver.builder().fixedPropagationWait(...), "
                + "or configure resolvers that answer them with resolvers(...)";
    }

    private Message send(InetSocketAddress server, Name name, int type, boolean recursionDesired) throws IOException {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(queryTimeout);
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (!recursionDesired) {
            query.getHeader().unsetFlag(Flags.RD);
        }
        return resolver.send(query);
    }
}
