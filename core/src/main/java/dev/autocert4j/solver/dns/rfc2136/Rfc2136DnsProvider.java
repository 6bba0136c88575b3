package dev.autocert4j.solver.dns.rfc2136;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.PreflightException;
import dev.autocert4j.internal.dns.DnsLookups;
import dev.autocert4j.internal.dns.TxtCleanupHandle;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DeletableByContent;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.DnsProviders;
import dev.autocert4j.solver.dns.FindableByContent;
import dev.autocert4j.solver.dns.TxtRecord;
import dev.autocert4j.solver.dns.ZonePreflight;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Writes TXT records with RFC 2136 dynamic updates, signed with a TSIG key: for BIND, Knot,
 * PowerDNS and every other server that accepts them (cert-manager's {@code rfc2136} solver).
 *
 * <pre>{@code
 * DnsProvider bind = Rfc2136DnsProvider.builder()
 *         .nameserver(new InetSocketAddress("192.0.2.53", 53))
 *         .tsigKey("acme-update", "hmac-sha256", System.getenv("TSIG_SECRET"))
 *         .build();
 * }</pre>
 *
 * <p>A record is added with an update that adds exactly one TXT record to the zone, and deleted
 * with an update that deletes exactly that record (name, type and value), so other TXT records
 * at the same name stay. A name that holds the value already gets nothing ({@link #EXISTING_RECORD}),
 * so that our cleanup never deletes a record someone else made; {@link FindableByContent} reads the same TXT set, so
 * that the solver journals no intent for such a record. The handle holds zone, name and value; no secret. The BIND side:
 * {@code allow-update { key "acme-update"; };} (or an {@code update-policy}) on the zone.
 *
 * <p>Registered for {@link DnsProviders#byName} as {@code rfc2136} with the settings
 * {@code nameserver} ({@code host:port}, an IP address; port 53 if omitted), {@code tsigKeyName},
 * {@code tsigAlgorithm} ({@code hmac-sha256} if omitted) and {@code tsigSecret} (base64).
 * The TSIG secret never appears in {@code toString()}, logs or messages.
 *
 * <p>Before an order ({@link ZonePreflight}) it asks the nameserver for the SOA of each zone the records go to,
 * without recursion and signed with the TSIG key: the server must answer authoritatively, and accept (and
 * sign) with the key. Immutable and thread-safe.
 */
public final class Rfc2136DnsProvider implements DnsProvider, DeletableByContent, FindableByContent, ZonePreflight {
    private static final Logger LOG = LoggerFactory.getLogger(Rfc2136DnsProvider.class);
    private static final String HANDLE_PREFIX = "rfc2136:v1:";
    /** How often a create is tried again when the TXT set changed between its read and its update. */
    private static final int MAX_ATTEMPTS = 5;

    private final InetSocketAddress nameserver;
    private final String keyName;
    private final Name algorithm;
    private final byte[] secret;
    private final Duration timeout;

    private Rfc2136DnsProvider(Builder b) {
        this.nameserver = b.nameserver;
        this.keyName = b.keyName;
        this.algorithm = b.algorithm;
        this.secret = b.secret;
        this.timeout = b.timeout;
    }

    /** @return a builder; {@link Builder#nameserver} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code rfc2136/<address>:<port>} and the key name, if any */
    @Override
    public String id() {
        return "rfc2136/" + nameserver.getAddress().getHostAddress() + ":" + nameserver.getPort()
                + (keyName == null ? "" : "/" + keyName);
    }

    /**
     * Adds the record unless the name holds this value already ({@link #EXISTING_RECORD}: nothing is created, so
     * our cleanup deletes nothing). The read and the add are one compare-and-set: the update carries the TXT set
     * just read as its prerequisite, so a record someone else adds in between is never taken for ours.
     */
    @Override
    public String createTxtRecord(TxtRecord record) throws SolverException {
        requireNonNull(record, "record");
        Name zone = DnsLookups.absolute(record.zone());
        Name owner = DnsLookups.absolute(record.fqdn());
        String what = "adding the TXT record " + record.fqdn() + " to the zone " + record.zone();
        for (int attempt = 1; ; attempt++) {
            List<Record> current = txtSet(owner);
            if (holds(current, record.value())) {
                LOG.debug("TXT {} holds this value already: nothing created", record.fqdn());
                return EXISTING_RECORD;
            }
            Update update = new Update(zone);
            if (current.isEmpty()) {
                update.absent(owner, Type.TXT);
            }
            for (Record r : current) {
                update.present(Record.newRecord(owner, Type.TXT, DClass.IN, 0, r.rdataToWireCanonical())); // TTL 0: RFC 2136 3.2.1
            }
            update.add(new TXTRecord(owner, DClass.IN, record.ttl().toSeconds(), record.value()));
            Message response = exchange(update, what);
            int rcode = response.getRcode();
            if ((rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET) && attempt < MAX_ATTEMPTS) {
                continue; // the TXT set changed between our read and our update
            }
            check(rcode, what);
            return HANDLE_PREFIX + record.zone() + "|" + record.fqdn() + "|" + record.value();
        }
    }

    /** Reads the name's TXT set from the server the updates go to (not a resolver), without recursion. */
    @Override
    public boolean hasTxtRecord(String zone, String fqdn, String value) throws SolverException {
        requireNonNull(zone, "zone");
        return holds(txtSet(DnsLookups.absolute(requireNonNull(fqdn, "fqdn"))), requireNonNull(value, "value"));
    }

    private static boolean holds(List<Record> txtSet, String value) {
        return txtSet.stream().anyMatch(r -> String.join("", ((TXTRecord) r).getStrings()).equals(value));
    }

    /** The TXT records at {@code owner}, read from the server the updates go to. */
    private List<Record> txtSet(Name owner) throws SolverException {
        Message query = Message.newQuery(Record.newRecord(owner, Type.TXT, DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        String what = "reading the TXT records of " + DnsLookups.text(owner);
        Message response = exchange(query, what);
        if (response.getRcode() != Rcode.NXDOMAIN) {
            check(response.getRcode(), what);
        }
        List<Record> txt = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord && r.getName().equals(owner)) {
                txt.add(r);
            }
        }
        return txt;
    }

    @Override
    public void deleteTxtRecord(String handle) throws SolverException {
        if (EXISTING_RECORD.equals(requireNonNull(handle, "handle"))) {
            return; // not ours
        }
        String[] parts = handle.startsWith(HANDLE_PREFIX) ? handle.substring(HANDLE_PREFIX.length()).split("\\|", 3) : new String[0];
        if (parts.length != 3) {
            throw new SolverException("Not a record handle of " + id() + ": " + handle, false, null);
        }
        if (!inZone(parts[1], parts[0]) || !TxtCleanupHandle.looksLikeChallenge(parts[1], parts[2])) {
            // Only a journal written by someone else holds such a handle: never delete outside DNS-01 records.
            LOG.warn("Dropped the handle {}: not a DNS-01 TXT record inside its zone", handle);
            return;
        }
        deleteTxtRecords(parts[0], parts[1], parts[2]);
    }

    /** Deletes the one rdata (name, TXT, value) with a dynamic update; other TXT records at the name stay. */
    @Override
    public void deleteTxtRecords(String zone, String fqdn, String value) throws SolverException {
        requireNonNull(zone, "zone");
        requireNonNull(fqdn, "fqdn");
        requireNonNull(value, "value");
        Update update = new Update(DnsLookups.absolute(zone));
        update.delete(new TXTRecord(DnsLookups.absolute(fqdn), DClass.IN, 0, value));
        send(update, "deleting the TXT record " + fqdn + " from the zone " + zone);
    }

    private static boolean inZone(String fqdn, String zone) {
        return fqdn.equalsIgnoreCase(zone) || fqdn.toLowerCase(java.util.Locale.ROOT).endsWith("." + zone.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Asks the nameserver for each zone's SOA, without recursion, signed with the TSIG key (when one is set).
     *
     * @throws PreflightException when the server does not answer, refuses the key, or is not authoritative for a zone
     */
    @Override
    public void preflight(Set<String> zones) throws PreflightException {
        for (String zone : requireNonNull(zones, "zones")) {
            Name apex = DnsLookups.absolute(zone);
            Message query = Message.newQuery(Record.newRecord(apex, Type.SOA, DClass.IN));
            query.getHeader().unsetFlag(Flags.RD); // never recurse: a zone the server lacks would be looked up elsewhere
            Message response;
            try {
                response = resolver().send(query);
            } catch (IOException e) {
                throw new PreflightException("No answer from " + id() + " to an SOA query for the zone " + zone + " ("
                        + Messages.describe(e) + "): check nameserver(...) and that the server is up", true, e);
            }
            int rcode = response.getRcode();
            if (keyName != null && (rcode == Rcode.NOTAUTH || !response.isVerified())) {
                throw new PreflightException(id() + " did not accept the TSIG key " + keyName + " (answered " + Rcode.string(rcode)
                        + (response.isSigned() ? "" : ", unsigned") + "): check the key's name, algorithm and secret against "
                        + "the server's key statement", false);
            }
            boolean soa = response.getSection(Section.ANSWER).stream()
                    .anyMatch(r -> r instanceof SOARecord && r.getName().equals(apex));
            if (rcode != Rcode.NOERROR || !soa || !response.getHeader().getFlag(Flags.AA)) {
                throw new PreflightException(id() + " is not authoritative for the zone " + zone + " (answered "
                        + Rcode.string(rcode) + (soa ? ", not authoritatively" : ", no SOA of the zone") + "): point "
                        + "nameserver(...) at the zone's primary server, or serve the zone there", true);
            }
        }
    }

    private SimpleResolver resolver() {
        SimpleResolver resolver = new SimpleResolver(nameserver);
        resolver.setTimeout(timeout);
        resolver.setTCP(true);
        if (keyName != null) {
            resolver.setTSIGKey(new TSIG(algorithm, DnsLookups.absolute(keyName), secret));
        }
        return resolver;
    }

    private void send(Update update, String what) throws SolverException {
        check(exchange(update, what).getRcode(), what);
    }

    private Message exchange(Message message, String what) throws SolverException {
        SimpleResolver resolver = resolver();
        try {
            return resolver.send(message);
        } catch (IOException e) {
            throw new SolverException("No answer from " + id() + " " + what + ": " + Messages.describe(e), true, e);
        }
    }

    private void check(int rcode, String what) throws SolverException {
        if (rcode == Rcode.NOERROR) {
            return;
        }
        String hint = switch (rcode) {
            case Rcode.NOTAUTH -> ": the server refused the TSIG key (check key name, algorithm and secret) "
                    + "or is not authoritative for the zone";
            case Rcode.REFUSED -> ": the server does not allow this key to update the zone (allow-update / update-policy)";
            case Rcode.NOTZONE -> ": the name is not inside the zone";
            case Rcode.SERVFAIL -> ": the server failed; try again";
            case Rcode.NXRRSET, Rcode.YXRRSET -> ": the TXT records at the name kept changing while this update was sent";
            default -> "";
        };
        throw new SolverException(id() + " answered " + Rcode.string(rcode) + " " + what + hint,
                rcode == Rcode.SERVFAIL || rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET, null);
    }

    @Override
    public String toString() {
        return "Rfc2136DnsProvider[" + id() + "]";
    }

    /**
     * Builds an {@link Rfc2136DnsProvider}. Each setter checks its argument at once and may be
     * called once. Not thread-safe.
     */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private InetSocketAddress nameserver;
        private String keyName;
        private Name algorithm;
        private byte[] secret;
        private Duration timeout = Duration.ofSeconds(10);

        private Builder() {
        }

        private void once(String field) {
            if (!set.add(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
        }

        /**
         * @param nameserver the primary server that accepts the updates; an IP address, not a host name
         * @return this builder
         */
        public Builder nameserver(InetSocketAddress nameserver) {
            once("nameserver");
            requireNonNull(nameserver, "nameserver");
            if (nameserver.isUnresolved()) {
                throw new IllegalArgumentException("nameserver " + nameserver + " is unresolved: give an IP address");
            }
            this.nameserver = nameserver;
            return this;
        }

        /**
         * @param name the TSIG key's name, as in the server's {@code key "name" { ... };}
         * @param algorithm {@code hmac-sha256}, {@code hmac-sha512}, ... (as {@code tsig-keygen -a} names them)
         * @param base64Secret the key's secret, base64 as in the server's configuration; never logged
         * @return this builder
         */
        public Builder tsigKey(String name, String algorithm, String base64Secret) {
            once("tsigKey");
            requireNonNull(name, "name");
            requireNonNull(algorithm, "algorithm");
            requireNonNull(base64Secret, "base64Secret");
            if (name.isBlank()) {
                throw new IllegalArgumentException("TSIG key name must not be blank");
            }
            Name algorithmName;
            try {
                algorithmName = TSIG.algorithmToName(algorithm.toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TSIG algorithm '" + algorithm
                        + "' is unknown: use hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha224, hmac-sha1 or hmac-md5", e);
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(base64Secret.strip().getBytes(StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                // the secret itself must not appear in the message
                throw new IllegalArgumentException("TSIG secret of key '" + name + "' is not base64: copy the secret from the "
                        + "server's key statement", null);
            }
            if (decoded.length == 0) {
                throw new IllegalArgumentException("TSIG secret of key '" + name + "' is empty");
            }
            this.keyName = name;
            this.algorithm = algorithmName;
            this.secret = decoded;
            return this;
        }

        /**
         * @param timeout how long to wait for the server's answer to one update; 10 seconds if unset
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            once("timeout");
            requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * @return the provider
         * @throws IllegalStateException when no nameserver is set
         */
        public Rfc2136DnsProvider build() {
            if (nameserver == null) {
                throw new IllegalStateException("Rfc2136DnsProvider has no nameserver: call nameserver(new InetSocketAddress(ip, 53))");
            }
            return new Rfc2136DnsProvider(this);
        }
    }
}
