package dev.autocert4j.solver.dns.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An emulator of the parts of the Cloudflare v4 API a DNS-01 provider uses, on the JDK HttpServer
 * at 127.0.0.1 and a free port: {@code GET /user/tokens/verify}, {@code GET /user}, {@code GET /zones?name=},
 * {@code GET/POST /zones/:id/dns_records}
 * (list with type, name and content filters and pagination, capped at {@link #MAX_PER_PAGE}),
 * {@code DELETE /zones/:id/dns_records/:id}; API tokens (Bearer) and global key + email, a 403
 * with Cloudflare's codes on wrong credentials; the {@code success/errors/messages/result}
 * envelope; fault injection (next N requests 500, next N 429 with Retry-After; a POST that creates its
 * record and then answers 500, or drops the connection; a POST answered 504 at once whose record lands
 * later, as when Cloudflare's edge gives up on a slow origin; answers held back beyond a client's
 * timeout); a retried POST of a record that exists meets Cloudflare's real answer, HTTP 400 with
 * {@code {"code":81058,"message":"An identical record already exists."}}; and publishing of
 * TXT records into a real DNS server through a {@link DnsProvider} (RFC 2136 into BIND), after an
 * optional delay or never, so that Pebble validates what the provider under test created.
 *
 * <p>It lives in this module's tests, not in {@code autocert4j-testing}, to keep Jackson out of
 * the testing module (which every store and solver test depends on).
 */
public final class CloudflareEmulator implements AutoCloseable {
    static final int MAX_PER_PAGE = 5;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, String> zones = new LinkedHashMap<>(); // id → name
    private final Map<String, ObjectNode> records = new ConcurrentHashMap<>(); // id → record
    private final Map<String, Publication> published = new ConcurrentHashMap<>();
    private final Set<String> dnsTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> zoneReadTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> globalKeys = new ConcurrentHashMap<>(); // email → key
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger dropAfterCreate = new AtomicInteger();
    private final AtomicInteger failAfterCreate = new AtomicInteger();
    private final AtomicInteger lateCreate = new AtomicInteger();
    private final List<Runnable> lateCreates = new CopyOnWriteArrayList<>();
    private volatile boolean slowFromNextPost;
    private volatile int slowRequests;
    private final AtomicInteger slowNext = new AtomicInteger();
    private volatile Duration slowDelay = Duration.ZERO;
    private final AtomicInteger rateLimitNext = new AtomicInteger();
    private volatile String retryAfter = "1";
    private volatile double randomFaults;
    private volatile java.util.Random random = new java.util.Random(0);
    private volatile Duration publishDelay = Duration.ZERO;
    private final DnsProvider dns;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger faultsServed = new AtomicInteger();

    /**
     * How long to hold back the answer of the request this thread serves. Not an exchange attribute: the JDK server
     * keeps those per context, shared by every exchange.
     */
    private final ThreadLocal<Duration> slow = new ThreadLocal<>();

    private static final class Publication {
        volatile String handle;
        volatile ScheduledFuture<?> pending;
    }

    /** @param dns where TXT records are published, or null to publish nowhere */
    public CloudflareEmulator(DnsProvider dns) throws IOException {
        this.dns = dns;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/client/v4/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** @return how many TXT records it holds */
    public int txtRecordCount() {
        return records.size();
    }

    /** @return one line per request served: {@code METHOD path} */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4/");
    }

    public CloudflareEmulator zone(String name) {
        zones.put(UUID.randomUUID().toString().replace("-", ""), name);
        return this;
    }

    /** A token with Zone:Read and DNS:Edit. */
    public CloudflareEmulator token(String token) {
        dnsTokens.add(token);
        zoneReadTokens.add(token);
        return this;
    }

    /** A token with DNS:Edit only (zones cannot be listed with it). */
    CloudflareEmulator dnsOnlyToken(String token) {
        dnsTokens.add(token);
        return this;
    }

    /** A token with Zone:Read only. */
    CloudflareEmulator zoneReadToken(String token) {
        zoneReadTokens.add(token);
        return this;
    }

    public CloudflareEmulator globalKey(String email, String key) {
        globalKeys.put(email, key);
        return this;
    }

    /** The next {@code n} POSTs create their record and then drop the connection without an answer. */
    void dropAfterCreateNext(int n) {
        dropAfterCreate.set(n);
    }

    /** The next {@code n} POSTs create their record and then answer 500, as if the write succeeded and the answer failed. */
    void failAfterCreateNext(int n) {
        failAfterCreate.set(n);
    }

    /**
     * The next {@code n} POSTs are answered 504 at once and their record is created only when the test calls {@link
     * #landLateCreates()} (unless an identical one exists by then), as when Cloudflare's edge times out on an
     * origin that carries on.
     */
    void createLateAfterGatewayTimeoutNext(int n) {
        lateCreate.set(n);
    }

    /** Creates the records of {@link #createLateAfterGatewayTimeoutNext} now. */
    void landLateCreates() {
        for (Runnable r : lateCreates) {
            lateCreates.remove(r);
            r.run();
        }
    }

    /**
     * From the next POST on, {@code requests} requests (that POST included) are carried out at once and answered
     * {@code delay} later, so that a client with a shorter timeout gives up on answers to requests that took effect.
     */
    void slowFromNextPost(Duration delay, int requests) {
        slowDelay = delay;
        slowRequests = requests;
        slowFromNextPost = true;
    }

    /** Ends every slow answer mode for later requests. */
    void answerPromptly() {
        slowFromNextPost = false;
        slowNext.set(0);
    }

    void failNext(int n) {
        failNext.set(n);
    }

    void rateLimitNext(int n, Duration after) {
        rateLimitNext(n, Long.toString(after.toSeconds()));
    }

    /** @param retryAfterHeader the Retry-After value sent with each 429: seconds or an HTTP date */
    void rateLimitNext(int n, String retryAfterHeader) {
        retryAfter = retryAfterHeader;
        rateLimitNext.set(n);
    }

    /**
     * Fails this fraction of all later requests at random, half with 500 and half with 429
     * (Retry-After: 0), as a flaky API would.
     *
     * @param fraction from 0 (none) to 1 (all)
     * @param seed makes the run repeatable
     */
    void failRandomly(double fraction, long seed) {
        random = new java.util.Random(seed);
        randomFaults = fraction;
    }

    /** @param delay how long a created TXT record takes to reach DNS; negative: never */
    void publishDelay(Duration delay) {
        publishDelay = delay;
    }

    /** Stores a TXT record directly, as if created earlier by someone else. */
    String seedTxt(String zoneName, String name, String content) {
        String zoneId = zones.entrySet().stream().filter(e -> e.getValue().equals(zoneName)).findFirst().orElseThrow().getKey();
        return store(zoneId, name, content, 120);
    }

    /** @return the TXT records it holds, content as stored */
    List<JsonNode> txtRecords() {
        return new ArrayList<>(records.values());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String path = uri.getPath().substring("/client/v4/".length());
            requests.add(method + " " + path);
            double roll;
            boolean serverError;
            synchronized (this) {
                roll = random.nextDouble();
                serverError = random.nextBoolean();
            }
            if (roll < randomFaults) {
                faultsServed.incrementAndGet();
                if (serverError) {
                    send(exchange, 500, envelope(false, List.of(error(10001, "Internal server error (injected at random)")), null, null));
                } else {
                    exchange.getResponseHeaders().set("Retry-After", "0");
                    send(exchange, 429, envelope(false, List.of(error(971, "Please wait (injected at random)")), null, null));
                }
                return;
            }
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                faultsServed.incrementAndGet();
                send(exchange, 500, envelope(false, List.of(error(10001, "Internal server error (injected)")), null, null));
                return;
            }
            if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                faultsServed.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", retryAfter);
                send(exchange, 429, envelope(false, List.of(error(971, "Please wait and consider throttling your request speed")), null, null));
                return;
            }
            if (slowFromNextPost && method.equals("POST")) {
                slowFromNextPost = false;
                slowNext.set(slowRequests);
            }
            if (slowNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                faultsServed.incrementAndGet();
                slow.set(slowDelay);
            }
            Map<String, String> query = query(uri.getRawQuery());
            if (method.equals("GET") && (path.equals("user/tokens/verify") || path.equals("user"))) {
                verify(exchange, path.equals("user"));
                return;
            }
            String[] parts = path.split("/");
            boolean listZones = parts.length == 1 && parts[0].equals("zones") && method.equals("GET");
            String authError = authorize(exchange, listZones);
            if (authError != null) {
                send(exchange, 403, envelope(false, List.of(error(authError.startsWith("Unknown") ? 9103 : 10000, authError)), null, null));
                return;
            }
            if (listZones) {
                listZones(exchange, query);
            } else if (parts.length >= 3 && parts[0].equals("zones") && parts[2].equals("dns_records") && zones.containsKey(parts[1])) {
                if (parts.length == 3 && method.equals("GET")) {
                    listRecords(exchange, parts[1], query);
                } else if (parts.length == 3 && method.equals("POST")) {
                    create(exchange, parts[1]);
                } else if (parts.length == 4 && method.equals("GET")) {
                    ObjectNode r = records.get(parts[3]);
                    if (r == null || !r.path("zone_id").asText().equals(parts[1])) {
                        send(exchange, 404, envelope(false, List.of(error(81044, "Record does not exist.")), null, null));
                    } else {
                        send(exchange, 200, envelope(true, List.of(), r, null));
                    }
                } else if (parts.length == 4 && method.equals("DELETE")) {
                    delete(exchange, parts[3]);
                } else {
                    send(exchange, 405, envelope(false, List.of(error(10405, "Method not allowed")), null, null));
                }
            } else {
                send(exchange, 404, envelope(false, List.of(error(7003, "Could not route to " + path + ", perhaps your object identifier is invalid?")), null, null));
            }
        } catch (RuntimeException e) {
            send(exchange, 500, envelope(false, List.of(error(10000, "emulator failure: " + e)), null, null));
        } finally {
            slow.remove();
        }
    }

    private String authorize(HttpExchange exchange, boolean zoneRead) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            String token = authorization.substring(7);
            boolean ok = zoneRead ? zoneReadTokens.contains(token) : dnsTokens.contains(token);
            return ok ? null : "Authentication error";
        }
        String key = exchange.getRequestHeaders().getFirst("X-Auth-Key");
        String email = exchange.getRequestHeaders().getFirst("X-Auth-Email");
        if (key != null && email != null) {
            return key.equals(globalKeys.get(email)) ? null : "Unknown X-Auth-Key or X-Auth-Email";
        }
        return "Authentication error";
    }

    /**
     * {@code GET /user/tokens/verify}: 200 with status {@code active} for a token it knows, else 401 with code
     * 1000 (Cloudflare's "Invalid API Token"); {@code GET /user}: 200 for a known global key and email, else 403
     * with code 9103.
     */
    private void verify(HttpExchange exchange, boolean user) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!user) {
            String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
            if (dnsTokens.contains(token) || zoneReadTokens.contains(token)) {
                send(exchange, 200, envelope(true, List.of(), json.createObjectNode()
                        .put("id", Integer.toHexString(token.hashCode())).put("status", "active"), null));
            } else {
                send(exchange, 401, envelope(false, List.of(error(1000, "Invalid API Token")), null, null));
            }
            return;
        }
        String authError = authorize(exchange, false);
        if (authError != null || authorization != null) {
            send(exchange, 403, envelope(false, List.of(error(9103, "Unknown X-Auth-Key or X-Auth-Email")), null, null));
        } else {
            send(exchange, 200, envelope(true, List.of(), json.createObjectNode().put("id", "user")
                    .put("email", exchange.getRequestHeaders().getFirst("X-Auth-Email")), null));
        }
    }

    private void listZones(HttpExchange exchange, Map<String, String> query) throws IOException {
        List<JsonNode> matching = new ArrayList<>();
        zones.forEach((id, name) -> {
            if (!query.containsKey("name") || query.get("name").equalsIgnoreCase(name)) {
                matching.add(json.createObjectNode().put("id", id).put("name", name).put("status", "active"));
            }
        });
        sendPage(exchange, matching, query);
    }

    private void listRecords(HttpExchange exchange, String zoneId, Map<String, String> query) throws IOException {
        List<JsonNode> matching = new ArrayList<>();
        for (ObjectNode r : records.values()) {
            if (r.path("zone_id").asText().equals(zoneId)
                    && (!query.containsKey("type") || query.get("type").equals(r.path("type").asText()))
                    && (!query.containsKey("name") || query.get("name").equalsIgnoreCase(r.path("name").asText()))
                    && (!query.containsKey("content") || query.get("content").equals(r.path("content").asText()))) {
                matching.add(r);
            }
        }
        matching.sort((a, b) -> a.path("created_on").asText().compareTo(b.path("created_on").asText()));
        sendPage(exchange, matching, query);
    }

    private void sendPage(HttpExchange exchange, List<JsonNode> all, Map<String, String> query) throws IOException {
        int page = Math.max(1, Integer.parseInt(query.getOrDefault("page", "1")));
        int perPage = Math.min(MAX_PER_PAGE, Math.max(1, Integer.parseInt(query.getOrDefault("per_page", "20"))));
        int from = Math.min(all.size(), (page - 1) * perPage);
        List<JsonNode> slice = all.subList(from, Math.min(all.size(), from + perPage));
        ObjectNode info = json.createObjectNode().put("page", page).put("per_page", perPage).put("count", slice.size())
                .put("total_count", all.size()).put("total_pages", Math.max(1, (all.size() + perPage - 1) / perPage));
        ArrayNode result = json.createArrayNode().addAll(slice);
        send(exchange, 200, envelope(true, List.of(), result, info));
    }

    private void create(HttpExchange exchange, String zoneId) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody());
        String type = body.path("type").asText();
        String name = body.path("name").asText();
        String content = body.path("content").asText();
        String zone = zones.get(zoneId);
        if (!"TXT".equals(type) || !(name.equals(zone) || name.endsWith("." + zone)) || content.isEmpty()) {
            send(exchange, 400, envelope(false, List.of(error(9000, "DNS name is invalid or the record is not TXT")), null, null));
            return;
        }
        int ttl = body.path("ttl").asInt(1);
        if (lateCreate.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            faultsServed.incrementAndGet();
            lateCreates.add(() -> {
                synchronized (records) {
                    if (identical(name, content) == null) {
                        store(zoneId, name, content, ttl);
                    }
                }
            });
            send(exchange, 504, envelope(false, List.of(error(10000, "Gateway Timeout (injected; the record lands later)")), null, null));
            return;
        }
        String id;
        synchronized (records) {
            if (identical(name, content) != null) {
                send(exchange, 400, envelope(false, List.of(error(81058, "An identical record already exists.")), null, null));
                return;
            }
            id = store(zoneId, name, content, ttl);
        }
        if (failAfterCreate.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            faultsServed.incrementAndGet();
            send(exchange, 500, envelope(false, List.of(error(10001, "Internal server error (injected after the record was created)")), null, null));
            return;
        }
        if (dropAfterCreate.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            faultsServed.incrementAndGet();
            exchange.close(); // no status line: the client sees the connection end
            return;
        }
        send(exchange, 200, envelope(true, List.of(), records.get(id), null));
    }

    /** @return the id of a record with this name and content, or null */
    private String identical(String name, String content) {
        for (ObjectNode r : records.values()) {
            if (r.path("name").asText().equalsIgnoreCase(name) && r.path("content").asText().equals(content)) {
                return r.path("id").asText();
            }
        }
        return null;
    }

    private String store(String zoneId, String name, String content, int ttl) {
        String id = UUID.randomUUID().toString().replace("-", "");
        ObjectNode r = json.createObjectNode().put("id", id).put("zone_id", zoneId).put("zone_name", zones.get(zoneId))
                .put("name", name).put("type", "TXT").put("content", content).put("ttl", ttl)
                .put("created_on", String.format("%020d-%s", System.nanoTime(), id));
        records.put(id, r);
        publish(id, new TxtRecord(name, zones.get(zoneId), unquote(content), Duration.ofSeconds(Math.max(ttl, 1))));
        return id;
    }

    private void publish(String id, TxtRecord record) {
        if (dns == null || publishDelay.isNegative()) {
            return;
        }
        Publication p = new Publication();
        published.put(id, p);
        p.pending = publisher.schedule(() -> {
            p.handle = dns.createTxtRecord(record);
            return null;
        }, publishDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void delete(HttpExchange exchange, String id) throws IOException {
        if (records.remove(id) == null) {
            send(exchange, 404, envelope(false, List.of(error(81044, "Record does not exist.")), null, null));
            return;
        }
        Publication p = published.remove(id);
        if (p != null) {
            p.pending.cancel(false);
            try {
                p.pending.get();
            } catch (Exception cancelledOrFailed) {
                // the handle tells whether it reached DNS
            }
            if (p.handle != null) {
                try {
                    dns.deleteTxtRecord(p.handle);
                } catch (Exception e) {
                    throw new IllegalStateException("could not unpublish " + id, e);
                }
            }
        }
        send(exchange, 200, envelope(true, List.of(), json.createObjectNode().put("id", id), null));
    }

    private static String unquote(String content) {
        return content.length() >= 2 && content.startsWith("\"") && content.endsWith("\"")
                ? content.substring(1, content.length() - 1) : content;
    }

    private ObjectNode error(int code, String message) {
        return json.createObjectNode().put("code", code).put("message", message);
    }

    private ObjectNode envelope(boolean success, List<ObjectNode> errors, JsonNode result, JsonNode info) {
        ObjectNode e = json.createObjectNode().put("success", success);
        e.set("errors", json.createArrayNode().addAll(errors));
        e.set("messages", json.createArrayNode());
        e.set("result", result);
        if (info != null) {
            e.set("result_info", info);
        }
        return e;
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        Duration delay = slow.get();
        if (delay != null) {
            try {
                Thread.sleep(delay.toMillis()); // the slow API the test asked for: a peer's latency, not a wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // closing: the client gets no answer
            }
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        publisher.shutdownNow();
    }
}
