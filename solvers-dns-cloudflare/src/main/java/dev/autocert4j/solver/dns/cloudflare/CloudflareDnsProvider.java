package dev.autocert4j.solver.dns.cloudflare;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autocert4j.PreflightException;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DeletableByContent;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.FindableByContent;
import dev.autocert4j.solver.dns.TxtRecord;
import dev.autocert4j.solver.dns.ZoneLookup;
import dev.autocert4j.solver.dns.ZonePreflight;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes DNS-01 TXT records through the Cloudflare v4 API, on the JDK {@link HttpClient}.
 *
 * <pre>{@code
 * DnsProvider cloudflare = CloudflareDnsProvider.builder()
 *         .apiToken(System.getenv("CLOUDFLARE_API_TOKEN"))   // Zone:Read and DNS:Edit
 *         .build();
 * Dns01Solver dns01 = Dns01Solver.builder().provider(cloudflare).build();
 * }</pre>
 *
 * <p>Credentials: an API token ({@code Authorization: Bearer}, recommended; it needs the
 * permissions Zone → Zone → Read and Zone → DNS → Edit), or the global API key with the
 * account's email ({@code X-Auth-Key}, {@code X-Auth-Email}); optionally a separate token used
 * only to look zones up ({@link Builder#zoneToken}).
 *
 * <p>The zone is found by asking {@code GET /zones?name=} for each suffix of the record's name,
 * longest first, and remembered. The provider offers that lookup to {@link
 * dev.autocert4j.solver.dns.Dns01Solver} as a {@link ZoneLookup}, so DNS-01 through Cloudflare needs
 * no SOA query. A record is created as {@code TXT} with its value in quotes and a
 * TTL of 120 seconds (unless {@linkplain Builder#ttl set}); when an identical record (same name and
 * value) exists already, nothing is created and {@link #EXISTING_RECORD} returned, so that our cleanup leaves
 * that record to whoever made it; a POST that got no answer (I/O error, 5xx, timeout) is not sent again before
 * the record was looked up, so it is never created twice, and a retried POST that Cloudflare answers with
 * "An identical record already exists" (81058: the lost attempt landed late) takes that record as ours. The handle
 * holds the zone and record ids; deleting reads the record first and deletes it only if it is a
 * DNS-01 TXT record (a handle from a forged journal is logged and dropped), and a record that is
 * gone already counts as deleted. {@link FindableByContent}: the same lookup, before the solver journals an intent.
 * {@link DeletableByContent}: lists the name's TXT records and
 * deletes those with the value, in the account's zone that holds the name. Lists are read page
 * by page. Failures carry the API's error codes and messages; a 403 names the permission the
 * credentials lack. 429 is retried after its {@code Retry-After}, 5xx and connection failures with
 * a short backoff, each at most {@linkplain Builder#maxRetries a few times}.
 *
 * <p>Registered for {@link dev.autocert4j.solver.dns.DnsProviders#byName} as {@code cloudflare}
 * with the settings {@code apiToken}, or {@code apiKey} and {@code email}; {@code zoneToken} and
 * {@code baseUrl} optional. Credentials never appear in logs, {@code toString()} or messages.
 *
 * <p>Before an order ({@link ZonePreflight}): {@code GET /user/tokens/verify} (a global key: {@code GET /user}),
 * remembered for ten minutes after a success, and a zone lookup for each zone the order writes to.
 * Immutable and thread-safe.
 */
public final class CloudflareDnsProvider implements DnsProvider, DeletableByContent, FindableByContent, ZoneLookup, ZonePreflight {
    /** The production API base URL. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.cloudflare.com/client/v4/");

    private static final Logger LOG = LoggerFactory.getLogger(CloudflareDnsProvider.class);
    private static final String HANDLE_PREFIX = "cloudflare:v1:";
    private static final String ZONE_READ = "Zone → Zone → Read";
    private static final String DNS_EDIT = "Zone → DNS → Edit";
    private static final int PAGE_SIZE = 100;

    private final URI baseUrl;
    private final CloudflareApi.Credentials dnsAuth;
    private final CloudflareApi.Credentials zoneAuth;
    private final Duration ttl;
    private final CloudflareApi api;
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentHashMap<String, String> zoneIds = new ConcurrentHashMap<>();
    private final CloudflarePreflight preflight;

    private CloudflareDnsProvider(Builder b) {
        this.baseUrl = b.baseUrl;
        this.dnsAuth = b.dnsAuth;
        this.zoneAuth = b.zoneToken != null ? new CloudflareApi.Credentials(b.zoneToken, null, null) : b.dnsAuth;
        this.ttl = b.ttl;
        HttpClient http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
        this.api = new CloudflareApi(baseUrl, http, b.requestTimeout, b.maxRetries, b.maxRetryAfter, b.sleeper, b.clock);
        this.preflight = new CloudflarePreflight(api, dnsAuth, zoneAuth, b.clock);
    }

    /** @return a builder; credentials are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code cloudflare/<API host>}, plus the email with a global API key */
    @Override
    public String id() {
        return "cloudflare/" + baseUrl.getAuthority() + (dnsAuth.email() != null ? "/" + dnsAuth.email() : "");
    }

    @Override
    public String createTxtRecord(TxtRecord record) throws SolverException {
        requireNonNull(record, "record");
        String zoneId = zoneId(record.fqdn());
        Optional<String> existing = findRecord(zoneId, record);
        if (existing.isPresent()) {
            // Someone else's (another process presenting the same authorization): ours to use, not to delete.
            LOG.debug("The identical TXT record {} is at {} already: nothing created", existing.get(), record.fqdn());
            return EXISTING_RECORD;
        }
        ObjectNode body = json.createObjectNode()
                .put("type", "TXT")
                .put("name", record.fqdn())
                .put("content", "\"" + record.value() + "\"")
                .put("ttl", ttl.toSeconds());
        // A POST whose answer was lost may have created the record: look it up before posting again.
        JsonNode created = api.call("POST", "zones/" + zoneId + "/dns_records", body, dnsAuth, DNS_EDIT,
                "creating the TXT record " + record.fqdn(), false, () -> findRecord(zoneId, record)
                        .map(id -> json.createObjectNode().set("result", json.createObjectNode().put("id", id)))).orElseThrow();
        String id = created.path("result").path("id").asText("");
        if (id.isEmpty()) {
            throw new SolverException("Cloudflare created the TXT record " + record.fqdn() + " but sent no record id", true, null);
        }
        return HANDLE_PREFIX + zoneId + ":" + id;
    }

    @Override
    public void deleteTxtRecord(String handle) throws SolverException {
        if (EXISTING_RECORD.equals(requireNonNull(handle, "handle"))) {
            return; // not ours
        }
        String[] parts = handle.startsWith(HANDLE_PREFIX) ? handle.substring(HANDLE_PREFIX.length()).split(":", -1) : new String[0];
        if (parts.length != 2 || !safeId(parts[0]) || !safeId(parts[1])) {
            throw new SolverException("Not a record handle of " + id() + ": " + handle, false, null);
        }
        Optional<JsonNode> found = api.call("GET", "zones/" + parts[0] + "/dns_records/" + parts[1], null, dnsAuth, DNS_EDIT,
                "reading the TXT record " + parts[1], true);
        if (found.isEmpty()) {
            LOG.debug("TXT record {} was gone already", parts[1]);
            return;
        }
        JsonNode r = found.get().path("result");
        if (!"TXT".equals(r.path("type").asText()) || !looksLikeChallenge(r.path("name").asText(), unquote(r.path("content").asText("")))) {
            // Only a journal written by someone else holds such a handle: never delete outside DNS-01 records.
            LOG.warn("Dropped the handle {}: record {} is not a DNS-01 TXT record", handle, parts[1]);
            return;
        }
        delete(parts[0], parts[1]);
    }

    /** Lists the name's TXT records in the account's zone that holds it, as {@link #createTxtRecord} does. */
    @Override
    public boolean hasTxtRecord(String zone, String fqdn, String value) throws SolverException {
        TxtRecord record = new TxtRecord(requireNonNull(fqdn, "fqdn"), requireNonNull(zone, "zone"), requireNonNull(value, "value"), ttl);
        return findRecord(zoneId(fqdn), record).isPresent();
    }

    /** Deletes every TXT record at {@code fqdn} with this value, found by listing the name's records. */
    @Override
    public void deleteTxtRecords(String zone, String fqdn, String value) throws SolverException {
        requireNonNull(zone, "zone");
        TxtRecord record = new TxtRecord(requireNonNull(fqdn, "fqdn"), zone, requireNonNull(value, "value"), ttl);
        Optional<String> zoneId = zone(fqdn).map(Map.Entry::getValue);
        if (zoneId.isEmpty()) {
            LOG.warn("No zone of {} holds {}: no record of its can be there", id(), fqdn);
            return;
        }
        for (String recordId : findRecords(zoneId.get(), record, Integer.MAX_VALUE)) {
            delete(zoneId.get(), recordId);
        }
    }

    private void delete(String zoneId, String recordId) throws SolverException {
        Optional<JsonNode> deleted = api.call("DELETE", "zones/" + zoneId + "/dns_records/" + recordId, null, dnsAuth, DNS_EDIT,
                "deleting the TXT record " + recordId, true);
        if (deleted.isEmpty()) {
            LOG.debug("TXT record {} was gone already", recordId);
        }
    }

    /** A DNS-01 record has the {@code _acme-challenge} label or (at a CNAME target) a DNS-01 value. */
    private static boolean looksLikeChallenge(String name, String value) {
        return name.toLowerCase(java.util.Locale.ROOT).startsWith("_acme-challenge.") || value.matches("[A-Za-z0-9_-]{43}");
    }

    private static String unquote(String content) {
        return content.length() >= 2 && content.startsWith("\"") && content.endsWith("\"")
                ? content.substring(1, content.length() - 1) : content;
    }

    private static boolean safeId(String id) {
        return id.matches("[A-Za-z0-9_-]{1,64}");
    }

    /**
     * The account's zone that holds {@code fqdn}, found with {@code GET /zones?name=} (read-only,
     * with the zone credentials), so that {@link dev.autocert4j.solver.dns.Dns01Solver} needs no SOA lookup.
     */
    @Override
    public Optional<String> zoneOf(String fqdn) throws SolverException {
        return zone(requireNonNull(fqdn, "fqdn")).map(Map.Entry::getKey);
    }

    /** Verifies the credentials (remembered for ten minutes), then finds the account's zone holding each zone. */
    @Override
    public void preflight(Set<String> zones) throws PreflightException {
        preflight.check(requireNonNull(zones, "zones"), this::zoneOf);
    }

    private String zoneId(String fqdn) throws SolverException {
        Optional<Map.Entry<String, String>> zone = zone(fqdn);
        if (zone.isPresent()) {
            return zone.get().getValue();
        }
        throw new SolverException("No Cloudflare zone holds " + fqdn + " for these credentials: add the zone to the account, "
                + "or give the token " + ZONE_READ + " on it", false, null);
    }

    /** @return the zone's name and id, longest suffix of {@code fqdn} first; remembered once found */
    private Optional<Map.Entry<String, String>> zone(String fqdn) throws SolverException {
        String[] labels = fqdn.toLowerCase(Locale.ROOT).split("\\.");
        for (int i = 0; i <= labels.length - 2; i++) {
            String suffix = String.join(".", java.util.Arrays.copyOfRange(labels, i, labels.length));
            String cached = zoneIds.get(suffix);
            if (cached != null) {
                return Optional.of(Map.entry(suffix, cached));
            }
            JsonNode page = api.call("GET", "zones?name=" + encode(suffix), null, zoneAuth, ZONE_READ,
                    "looking up the zone " + suffix, false).orElseThrow();
            for (JsonNode zone : page.path("result")) {
                if (suffix.equalsIgnoreCase(zone.path("name").asText()) && safeId(zone.path("id").asText(""))) {
                    zoneIds.put(suffix, zone.path("id").asText());
                    return Optional.of(Map.entry(suffix, zone.path("id").asText()));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> findRecord(String zoneId, TxtRecord record) throws SolverException {
        return findRecords(zoneId, record, 1).stream().findFirst();
    }

    /** The ids of up to {@code limit} TXT records at the record's name with its value, page by page. */
    private java.util.List<String> findRecords(String zoneId, TxtRecord record, int limit) throws SolverException {
        java.util.List<String> ids = new java.util.ArrayList<>();
        String unquoted = record.value();
        for (int page = 1; ; page++) {
            JsonNode response = api.call("GET", "zones/" + zoneId + "/dns_records?type=TXT&name=" + encode(record.fqdn())
                    + "&page=" + page + "&per_page=" + PAGE_SIZE, null, dnsAuth, DNS_EDIT,
                    "listing the TXT records of " + record.fqdn(), false).orElseThrow();
            for (JsonNode r : response.path("result")) {
                String content = r.path("content").asText("");
                if (record.fqdn().equalsIgnoreCase(r.path("name").asText()) && unquote(content).equals(unquoted)
                        && safeId(r.path("id").asText("")) && ids.size() < limit) {
                    ids.add(r.path("id").asText());
                }
            }
            int totalPages = response.path("result_info").path("total_pages").asInt(1);
            if (ids.size() >= limit || page >= totalPages || response.path("result").isEmpty()) {
                return ids;
            }
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CloudflareDnsProvider[" + baseUrl + ", " + dnsAuth.kind() + (zoneAuth != dnsAuth ? ", zone token" : "") + "]";
    }

    /**
     * Builds a {@link CloudflareDnsProvider}. Each setter checks its argument at once and may be
     * called once. Not thread-safe.
     */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private URI baseUrl = DEFAULT_BASE_URL;
        private CloudflareApi.Credentials dnsAuth;
        private String zoneToken;
        private Duration ttl = Duration.ofSeconds(120);
        private int maxRetries = 3;
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private HttpClient http;
        private CloudflareApi.Sleeper sleeper = CloudflareApi.Sleeper.THREAD;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        private void once(String field) {
            if (!set.add(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
        }

        private static String secret(String value, String field) {
            requireNonNull(value, field);
            String v = value.strip();
            if (v.isEmpty()) {
                throw new IllegalArgumentException(field + " is empty: paste the value from the Cloudflare dashboard");
            }
            if (v.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException(field + " contains spaces or non-ASCII characters: paste it exactly");
            }
            return v;
        }

        /**
         * @param token an API token with Zone → Zone → Read and Zone → DNS → Edit; never logged
         * @return this builder
         */
        public Builder apiToken(String token) {
            once("credentials");
            this.dnsAuth = new CloudflareApi.Credentials(secret(token, "apiToken"), null, null);
            return this;
        }

        /**
         * The legacy global API key (cert-manager's {@code apiKeySecretRef} with {@code email}).
         *
         * @param key the global API key; never logged
         * @param email the account's email address
         * @return this builder
         */
        public Builder apiKey(String key, String email) {
            once("credentials");
            String k = secret(key, "apiKey");
            requireNonNull(email, "email");
            if (!email.matches("[^@\\s]+@[^@\\s]+")) {
                throw new IllegalArgumentException("email '" + email + "' is not an email address: use the Cloudflare account's login");
            }
            this.dnsAuth = new CloudflareApi.Credentials(null, k, email);
            return this;
        }

        /**
         * @param token a token with Zone → Zone → Read, used only to find zones (the other
         *     credentials then need DNS → Edit only); never logged
         * @return this builder
         */
        public Builder zoneToken(String token) {
            once("zoneToken");
            this.zoneToken = secret(token, "zoneToken");
            return this;
        }

        /**
         * @param baseUrl the API's base URL; {@link #DEFAULT_BASE_URL} if unset (tests point it at an emulator).
         *        Must be https; plain http only on a loopback host (127.0.0.0/8, ::1, localhost), because
         *        the API token travels in every request
         * @return this builder
         * @throws IllegalArgumentException if the URL is neither https nor http on a loopback host
         */
        public Builder baseUrl(URI baseUrl) {
            once("baseUrl");
            requireNonNull(baseUrl, "baseUrl");
            String scheme = baseUrl.getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("baseUrl " + baseUrl + " is not an http(s) URL");
            }
            if ("http".equalsIgnoreCase(scheme) && !LoopbackHost.is(baseUrl.getHost())) {
                throw new IllegalArgumentException("baseUrl " + baseUrl + " uses plain http on a non-loopback host, which"
                        + " would send the API token unencrypted: use https (plain http is accepted only on 127.0.0.0/8,"
                        + " ::1 or localhost, e.g. for an emulator)");
            }
            String s = baseUrl.toString();
            this.baseUrl = URI.create(s.endsWith("/") ? s : s + "/");
            return this;
        }

        /**
         * @param ttl the records' TTL, 60 seconds to one day; 120 seconds if unset
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            once("ttl");
            requireNonNull(ttl, "ttl");
            if (ttl.getNano() != 0 || ttl.getSeconds() < 60 || ttl.getSeconds() > 86400) {
                throw new IllegalArgumentException("ttl must be whole seconds within 60..86400 (Cloudflare's range), was " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * @param retries how often one call is retried after a 5xx or connection failure, and
         *     separately after a 429; 3 if unset
         * @return this builder
         */
        public Builder maxRetries(int retries) {
            once("maxRetries");
            if (retries < 0 || retries > 20) {
                throw new IllegalArgumentException("maxRetries must be within 0..20, was " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        /**
         * @param max the longest Retry-After honoured; longer ones are cut to it; 60 seconds if unset
         * @return this builder
         */
        public Builder maxRetryAfter(Duration max) {
            once("maxRetryAfter");
            requireNonNull(max, "maxRetryAfter");
            if (max.isNegative() || max.isZero()) {
                throw new IllegalArgumentException("maxRetryAfter must be positive, was " + max);
            }
            this.maxRetryAfter = max;
            return this;
        }

        /**
         * @param timeout how long one request may take; 30 seconds if unset
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            once("requestTimeout");
            requireNonNull(timeout, "requestTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * @param client the HTTP client to use (a proxy, a custom trust store); a new default one if unset
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            once("httpClient");
            this.http = requireNonNull(client, "httpClient");
            return this;
        }

        /** Tests wait without sleeping: the waits between retries go to {@code sleeper}. */
        Builder sleeper(CloudflareApi.Sleeper sleeper) {
            once("sleeper");
            this.sleeper = requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Tests fix the time against which an HTTP-date {@code Retry-After} is measured. */
        Builder clock(Clock clock) {
            once("clock");
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the provider
         * @throws IllegalStateException when no credentials are set
         */
        public CloudflareDnsProvider build() {
            if (dnsAuth == null) {
                throw new IllegalStateException("CloudflareDnsProvider has no credentials: call apiToken(token), "
                        + "or apiKey(key, email)");
            }
            return new CloudflareDnsProvider(this);
        }
    }
}
