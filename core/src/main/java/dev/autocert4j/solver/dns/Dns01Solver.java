package dev.autocert4j.solver.dns;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Identifier;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.internal.dns.DnsLookups;
import dev.autocert4j.internal.dns.DnsPreflight;
import dev.autocert4j.internal.dns.JournalledTxtRecords;
import dev.autocert4j.internal.acme.Poller;
import dev.autocert4j.internal.dns.PropagationWait;
import dev.autocert4j.internal.dns.TxtCleanupHandle;
import dev.autocert4j.internal.dns.TxtPresentation;
import dev.autocert4j.internal.dns.ZoneFinder;
import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.IntentJournal;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Solves DNS-01 with any {@link DnsProvider}: publishes the TXT record
 * {@code _acme-challenge.<name>} (a wildcard {@code *.example.com} from its base name
 * {@code example.com}), and before the challenge is triggered waits until the value is visible on
 * every authoritative nameserver of the zone.
 *
 * <pre>{@code
 * Dns01Solver dns01 = Dns01Solver.builder()
 *         .provider(DnsProviders.byName("cloudflare", Map.of("apiToken", token)))
 *         .build();
 * }</pre>
 *
 * <p>What it does for each challenge, in order:
 * <ol>
 *   <li>with {@link CnameStrategy#FOLLOW}, follows a CNAME chain at {@code _acme-challenge.<name>}
 *       and writes the record at its end (cert-manager's {@code cnameStrategy: Follow});</li>
 *   <li>finds the zone: a {@linkplain Builder#zones configured zone} that holds the name, else
 *       the provider's answer when it implements {@link ZoneLookup} (Cloudflare does), else by
 *       walking up the name until an SOA record is found; then the zone's authoritative
 *       nameservers (unless {@link Builder#fixedPropagationWait} is set); every query goes to the
 *       {@linkplain Builder#resolvers configured resolvers} (or the system's DNS servers from
 *       {@code /etc/resolv.conf}), never through the JVM's host name resolver, and nothing is
 *       cached. With a known zone, {@link CnameStrategy#NONE} and a fixed propagation wait the
 *       solver sends no DNS query at all, for nameservers that answer nothing but the record;</li>
 *   <li>if the provider is {@link DeletableByContent}: when it is also {@link FindableByContent} and the record
 *       exists already, uses it as it is (nothing journalled, nothing created); else records the intent (zone, name,
 *       value), then creates the record;</li>
 *   <li>{@link Presentation#awaitVisible} polls every authoritative nameserver (and optionally the
 *       resolvers) until each answers the value, at the {@linkplain Builder#pollInterval poll
 *       interval}, for at most the {@linkplain Builder#propagationTimeout propagation timeout};
 *       or, with {@link Builder#fixedPropagationWait}, waits that long instead;</li>
 *   <li>{@link Presentation#close()} deletes exactly that record, also when validation failed; a record the
 *       provider found there already ({@link DnsProvider#EXISTING_RECORD}) is left alone, now and after a crash.
 *       Zone, name, value and the provider's handle form the presentation's {@linkplain
 *       Presentation#cleanupHandle() cleanup handle}, so that a manager deletes it after a crash ({@link #cleanUp}).</li>
 * </ol>
 *
 * <p>Before every order ({@link Preflight}) it finds the zone of each record as above (queries only) and, when
 * the provider implements {@link ZonePreflight}, lets it check its credentials and those zones.
 *
 * <p>Identifiers: DNS names, wildcards included; never IP addresses. Immutable and thread-safe.
 */
public final class Dns01Solver implements Solver, Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(Dns01Solver.class);

    private final DnsProvider provider;
    private final String id;
    private final CnameStrategy cnameStrategy;
    private final List<InetSocketAddress> resolvers;
    private final int nameserverPort;
    private final Map<Name, InetSocketAddress> nameserverAddresses;
    private final Duration ttl;
    private final DnsLookups lookups;
    private final ZoneFinder zones;
    private final PropagationWait wait;

    private Dns01Solver(Builder b) {
        this.provider = b.provider;
        this.id = b.id != null ? b.id : "dns-01/" + provider.id();
        this.cnameStrategy = b.cnameStrategy;
        this.resolvers = b.resolvers != null ? b.resolvers : DnsLookups.systemResolvers("Dns01Solver.builder().resolvers(...)");
        this.nameserverPort = b.nameserverPort;
        this.nameserverAddresses = b.nameserverAddresses;
        this.ttl = b.ttl;
        this.lookups = new DnsLookups(resolvers, b.queryTimeout);
        this.zones = new ZoneFinder(b.zones, provider, lookups);
        this.wait = new PropagationWait(lookups, b.checkResolvers ? resolvers : List.of(), b.pollInterval,
                b.propagationTimeout, b.fixedPropagationWait, b.clock, b.sleeper);
    }

    /** @return a builder; {@link Builder#provider(DnsProvider)} is required */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChallengeType challengeType() {
        return ChallengeType.DNS_01;
    }

    /** DNS-01 proves DNS names, wildcards included, and never IP addresses. */
    @Override
    public boolean canSolve(Identifier identifier) {
        return requireNonNull(identifier, "identifier").type() == Identifier.Type.DNS;
    }

    /** @return {@code dns-01/<provider id>} unless set with {@link Builder#id(String)} */
    @Override
    public String solverId() {
        return id;
    }

    /** @return the provider records are written with */
    public DnsProvider provider() {
        return provider;
    }

    /** @return the resolvers every lookup goes to */
    public List<InetSocketAddress> resolvers() {
        return resolvers;
    }

    /**
     * @param identifier a DNS identifier
     * @return {@code _acme-challenge.<base name>}, the name the CA queries (before CNAMEs)
     */
    public static String challengeName(Identifier identifier) {
        return "_acme-challenge." + requireNonNull(identifier, "identifier").baseName();
    }

    @Override
    public Presentation present(ChallengeRequest challenge) throws SolverException {
        return present(challenge, IntentJournal.NONE);
    }

    /**
     * Presents the record; when the provider can {@linkplain DeletableByContent delete by content}, the record
     * is recorded in {@code intents} (zone, name, value) before the provider is asked to create it, unless a
     * {@link FindableByContent} provider finds it there already (then nothing is recorded or created).
     */
    @Override
    public Presentation present(ChallengeRequest challenge, IntentJournal intents) throws SolverException {
        requireNonNull(challenge, "challenge");
        requireNonNull(intents, "intents");
        Identifier identifier = challenge.identifier();
        if (!canSolve(identifier)) {
            throw new SolverException("DNS-01 cannot prove the IP address " + identifier + ": use HTTP-01 or TLS-ALPN-01 for it",
                    false, null);
        }
        Name name = recordName(identifier);
        Name zone = zones.zoneOf(name);
        Map<String, List<InetSocketAddress>> authoritative = wait.checks()
                ? lookups.authoritativeServers(zone, nameserverPort, nameserverAddresses) : Map.of();
        TxtRecord record = new TxtRecord(DnsLookups.text(name), DnsLookups.text(zone), challenge.dnsTxtValue(), ttl);
        String handle;
        if (provider instanceof FindableByContent finder && provider instanceof DeletableByContent
                && finder.hasTxtRecord(record.zone(), record.fqdn(), record.value())) {
            handle = DnsProvider.EXISTING_RECORD; // someone else's: no intent, so no cleanup after a crash deletes it
        } else {
            if (provider instanceof DeletableByContent) {
                intents.recordIntent(TxtCleanupHandle.intent(record.zone(), record.fqdn(), record.value()));
            }
            handle = provider.createTxtRecord(record);
        }
        LOG.debug("{} TXT {} in zone {} through {}", DnsProvider.EXISTING_RECORD.equals(handle) ? "Found the existing"
                : "Created", record.fqdn(), record.zone(), provider.id());
        return new TxtPresentation(provider, record, name, handle, authoritative, wait);
    }

    /** The record's name: {@code _acme-challenge.<base name>}, or where its CNAME chain ends with FOLLOW. */
    private Name recordName(Identifier identifier) throws SolverException {
        Name name = DnsLookups.absolute(challengeName(identifier));
        Name target = cnameStrategy == CnameStrategy.FOLLOW ? lookups.followCnames(name) : name;
        if (!target.equals(name)) {
            LOG.debug("{} is a CNAME to {}: the record is written there", DnsLookups.text(name), DnsLookups.text(target));
        }
        return target;
    }

    /** Finds each record's zone as {@link #present} would, then runs the provider's {@link ZonePreflight}. */
    @Override
    public void preflight(PreflightRequest request) throws PreflightException, InterruptedException {
        new DnsPreflight(provider, zones, this::recordName).check(requireNonNull(request, "request").identifiers());
    }

    /**
     * Deletes a record an earlier process created or meant to create, given a cleanup handle it stored. A
     * handle outside this solver's scope (not a DNS-01 value, a name outside its zone, a name without the
     * {@code _acme-challenge} label while CNAMEs are not followed) is logged and dropped: whoever can write the
     * journal must not be able to make it delete other records. Handles of earlier versions go to the
     * provider, which checks them.
     */
    @Override
    public void cleanUp(String handle) throws SolverException {
        new JournalledTxtRecords(provider, id, cnameStrategy == CnameStrategy.FOLLOW).remove(requireNonNull(handle, "handle"));
    }

    @Override
    public String toString() {
        return "Dns01Solver[" + id + ", cnameStrategy=" + cnameStrategy + ", resolvers=" + resolvers + "]";
    }

    /**
     * Builds a {@link Dns01Solver}. Each setter checks its argument at once and may be called once.
     * Not thread-safe.
     */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private DnsProvider provider;
        private String id;
        private CnameStrategy cnameStrategy = CnameStrategy.NONE;
        private List<InetSocketAddress> resolvers;
        private int nameserverPort = 53;
        private Map<Name, InetSocketAddress> nameserverAddresses = Map.of();
        private Clock clock = Clock.systemUTC();
        private Poller.Sleeper sleeper = Thread::sleep;
        private Duration ttl = Duration.ofSeconds(60);
        private Duration pollInterval = Duration.ofSeconds(2);
        private Duration propagationTimeout = Duration.ofMinutes(2);
        private Duration fixedPropagationWait;
        private boolean checkResolvers;
        private Duration queryTimeout = Duration.ofSeconds(5);
        private List<Name> zones = List.of();

        private Builder() {
        }

        private void once(String field) {
            if (!set.add(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
        }

        private static Duration positive(Duration d, String field) {
            requireNonNull(d, field);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + d);
            }
            return d;
        }

        /**
         * @param provider writes and deletes the TXT records
         * @return this builder
         */
        public Builder provider(DnsProvider provider) {
            once("provider");
            this.provider = requireNonNull(provider, "provider");
            return this;
        }

        /**
         * @param name a provider registered for {@link java.util.ServiceLoader}, e.g. {@code rfc2136}
         * @param config its settings
         * @return this builder
         * @throws IllegalArgumentException when no provider has that name or the settings are invalid
         */
        public Builder provider(String name, Map<String, String> config) {
            return provider(DnsProviders.byName(name, config));
        }

        /**
         * @param id the {@link Solver#solverId()}; {@code dns-01/<provider id>} if unset
         * @return this builder
         */
        public Builder id(String id) {
            once("id");
            requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("id must not be blank");
            }
            this.id = id;
            return this;
        }

        /**
         * @param strategy whether to follow a CNAME at {@code _acme-challenge.<name>}; NONE if unset
         * @return this builder
         */
        public Builder cnameStrategy(CnameStrategy strategy) {
            once("cnameStrategy");
            this.cnameStrategy = requireNonNull(strategy, "cnameStrategy");
            return this;
        }

        /**
         * @param resolvers recursive DNS servers for the SOA walk, CNAMEs and nameserver addresses,
         *     asked in order; the system's (from {@code /etc/resolv.conf}) if unset
         * @return this builder
         */
        public Builder resolvers(InetSocketAddress... resolvers) {
            once("resolvers");
            if (Arguments.noNulls("resolvers", resolvers).isEmpty()) {
                throw new IllegalArgumentException("resolvers needs at least one address, or leave it unset for the system's");
            }
            List<InetSocketAddress> list = new ArrayList<>();
            for (InetSocketAddress r : resolvers) {
                if (r.isUnresolved()) {
                    throw new IllegalArgumentException("resolver " + r + " is unresolved: give an IP address");
                }
                list.add(r);
            }
            this.resolvers = List.copyOf(list);
            return this;
        }

        /**
         * The zones records are written to, so that no SOA lookup is needed: a record goes to the
         * longest of them that holds its name (one zone per solver, or one per name suffix, e.g.
         * {@code zones("example.com", "example.org")}). A name none of them holds is looked up
         * as if none were set: through the provider's {@link ZoneLookup}, else the SOA walk.
         *
         * @param zones zone apexes, e.g. {@code example.com}
         * @return this builder
         */
        public Builder zones(String... zones) {
            once("zones");
            requireNonNull(zones, "zones");
            if (zones.length == 0) {
                throw new IllegalArgumentException("zones needs at least one zone, e.g. zones(\"example.com\"), or leave it unset");
            }
            List<Name> list = new ArrayList<>();
            for (int i = 0; i < zones.length; i++) {
                list.add(DnsLookups.zoneApex(requireNonNull(zones[i], "zones[" + i + "]"), "zones[" + i + "]"));
            }
            this.zones = List.copyOf(list);
            return this;
        }

        /**
         * @param port the port the authoritative nameservers answer on; 53 if unset (tests use another)
         * @return this builder
         */
        public Builder nameserverPort(int port) {
            once("nameserverPort");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("nameserverPort must be within 1..65535, was " + port);
            }
            this.nameserverPort = port;
            return this;
        }

        /**
         * Where to reach nameservers whose names do not lead to the address they answer on from here (behind NAT,
         * on another port in a test). The zone's NS records still decide which nameservers are asked; a
         * nameserver named here is asked at this address instead of its A/AAAA records and {@link #nameserverPort}.
         *
         * @param addresses nameserver host name (e.g. {@code ns2.example.com}) → IP address and port
         * @return this builder
         */
        public Builder nameserverAddresses(Map<String, InetSocketAddress> addresses) {
            once("nameserverAddresses");
            Map<Name, InetSocketAddress> byName = new LinkedHashMap<>();
            requireNonNull(addresses, "nameserverAddresses").forEach((host, address) -> {
                requireNonNull(host, "nameserverAddresses key");
                if (requireNonNull(address, "nameserverAddresses[" + host + "]").isUnresolved()) {
                    throw new IllegalArgumentException("nameserverAddresses[" + host + "] " + address
                            + " is unresolved: give an IP address");
                }
                if (host.isBlank() || host.strip().equals(".")) {
                    throw new IllegalArgumentException("nameserverAddresses has an empty key: give the nameserver's name "
                            + "as the zone's NS records name it");
                }
                try {
                    byName.put(DnsLookups.absolute(host.strip()), address);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("nameserverAddresses key '" + host + "' is " + e.getMessage()
                            + ": give the nameserver's name as the zone's NS records name it", e);
                }
            });
            this.nameserverAddresses = Map.copyOf(byName);
            return this;
        }

        /** Tests move time instead of waiting: the propagation wait's deadline is read from {@code clock}. */
        Builder clock(Clock clock) {
            once("clock");
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Tests wait without sleeping: the pauses between propagation checks go to {@code sleeper}. */
        Builder sleeper(Poller.Sleeper sleeper) {
            once("sleeper");
            this.sleeper = requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * @param ttl the TTL of the records; 60 seconds if unset
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            once("ttl");
            positive(ttl, "ttl");
            if (ttl.getNano() != 0) {
                throw new IllegalArgumentException("ttl must be whole seconds, was " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * @param interval time between two propagation checks; 2 seconds if unset
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            once("pollInterval");
            this.pollInterval = positive(interval, "pollInterval");
            return this;
        }

        /**
         * @param timeout how long to wait for the record on every nameserver before the challenge
         *     fails; 2 minutes if unset (the order's own timeout also bounds it)
         * @return this builder
         */
        public Builder propagationTimeout(Duration timeout) {
            once("propagationTimeout");
            this.propagationTimeout = positive(timeout, "propagationTimeout");
            return this;
        }

        /**
         * The escape hatch for setups where the nameservers cannot be queried (split horizon, a
         * firewall): skip the propagation check and wait this long instead.
         *
         * @param wait the fixed wait after creating the record
         * @return this builder
         */
        public Builder fixedPropagationWait(Duration wait) {
            once("fixedPropagationWait");
            this.fixedPropagationWait = positive(wait, "fixedPropagationWait");
            return this;
        }

        /**
         * @param check also require the value on every configured resolver (their caches may hold
         *     an older answer for up to the negative TTL); false if unset
         * @return this builder
         */
        public Builder checkResolvers(boolean check) {
            once("checkResolvers");
            this.checkResolvers = check;
            return this;
        }

        /**
         * @param timeout how long to wait for one DNS answer; 5 seconds if unset
         * @return this builder
         */
        public Builder queryTimeout(Duration timeout) {
            once("queryTimeout");
            this.queryTimeout = positive(timeout, "queryTimeout");
            return this;
        }

        /**
         * @return the solver
         * @throws IllegalStateException when no provider is set, or no resolvers are set and the
         *     system has none
         */
        public Dns01Solver build() {
            if (provider == null) {
                throw new IllegalStateException("Dns01Solver has no provider: call provider(new Rfc2136DnsProvider...) "
                        + "or provider(name, config)");
            }
            if (fixedPropagationWait != null && checkResolvers) {
                throw new IllegalStateException("fixedPropagationWait skips every propagation check: do not set checkResolvers with it");
            }
            return new Dns01Solver(this);
        }
    }
}
