package dev.autocert4j.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Pebble ACME test CA with its companion {@code pebble-challtestsrv} mock DNS server,
 * started as child processes that listen on free ports of 127.0.0.1 only.
 *
 * <p>Pebble's VA resolves every name through the mock DNS server, which answers {@code A}
 * queries with 127.0.0.1 unless told otherwise ({@link #addARecord}, {@link #setDefaultIPv4});
 * it validates HTTP-01 challenges on {@link #httpPort()} and TLS-ALPN-01 challenges on
 * {@link #tlsPort()}, where the test binds its responder. Pebble's HTTPS certificate is generated
 * per server; clients trust it through {@link #trustStore()} or {@link #sslContext()}.
 *
 * <pre>{@code
 * try (PebbleServer pebble = PebbleServer.builder().start()) {
 *     URI directory = pebble.directoryUrl();
 *     ...
 * }
 * }</pre>
 *
 * <p>Needs the executables {@code pebble} and {@code pebble-challtestsrv} on the {@code PATH}
 * (Debian/Ubuntu package {@code pebble}). Instances are thread-safe. {@link #close()} stops both
 * processes and deletes the working directory; a JVM shutdown hook does the same if a test
 * forgets.
 */
public final class PebbleServer implements AutoCloseable {

    /** The environment variable that selects how Pebble is run: unset or {@code local}. */
    static final String MODE_VARIABLE = "AUTOCERT4J_PEBBLE";

    static final String NOT_INSTALLED = "Pebble is not installed: run `apt-get install -y pebble`"
            + " (Debian/Ubuntu), or put the pebble and pebble-challtestsrv binaries on the PATH";

    private static final Logger LOG = LoggerFactory.getLogger(PebbleServer.class);
    private static final Pattern REQUESTS = Pattern.compile("(?m)^Pebble .* (GET|POST|HEAD) \\S+ -> calling handler\\(\\)");
    private static final Pattern ACCOUNTS = Pattern.compile("There are now (\\d+) accounts in memory");
    private static final Pattern ORDERS = Pattern.compile("There are now (\\d+) orders in the db");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;

    private final Path workDirectory;
    private final TlsMaterial tls;
    private final ChildProcess challTestSrv;
    private final ChildProcess pebble;
    private final int acmePort;
    private final int managementPort;
    private final int dnsPort;
    private final int challTestSrvManagementPort;
    private final int httpPort;
    private final int tlsPort;
    private final HttpClient pebbleClient;
    private final HttpClient challTestSrvClient;
    private final Thread shutdownHook;
    private volatile X509Certificate root;
    private volatile X509Certificate intermediate;
    private boolean closed;

    private PebbleServer(Path workDirectory, TlsMaterial tls, Processes processes, List<Integer> ports) {
        this.workDirectory = workDirectory;
        this.tls = tls;
        this.challTestSrv = processes.challTestSrv;
        this.pebble = processes.pebble;
        this.acmePort = ports.get(0);
        this.managementPort = ports.get(1);
        this.dnsPort = ports.get(2);
        this.challTestSrvManagementPort = ports.get(3);
        this.httpPort = ports.get(4);
        this.tlsPort = ports.get(5);
        this.pebbleClient = HttpClient.newBuilder()
                .sslContext(tls.sslContext())
                .connectTimeout(REQUEST_TIMEOUT)
                .build();
        this.challTestSrvClient = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
        this.shutdownHook = new Thread(this::stopProcessesAndDelete, "autocert4j-pebble-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Returns a new builder; {@link Builder#start()} starts the server.
     *
     * @return a new builder with Pebble's defaults, except that the VA does not sleep
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The ACME directory URL, {@code https://127.0.0.1:<port>/dir}.
     *
     * @return the directory URL; its TLS certificate is {@link #tlsTrustAnchor()}
     */
    public URI directoryUrl() {
        return URI.create("https://127.0.0.1:" + acmePort + "/dir");
    }

    /**
     * The base URL of Pebble's management interface ({@code /roots/0}, {@code /intermediates/0},
     * …), served with the same TLS certificate as the directory.
     *
     * @return the management base URL, {@code https://127.0.0.1:<port>/}
     */
    public URI managementUrl() {
        return URI.create("https://127.0.0.1:" + managementPort + "/");
    }

    /**
     * The port on which Pebble's VA connects for HTTP-01 validation. Nothing listens there until
     * the test binds its challenge responder to 127.0.0.1 on this port.
     *
     * @return the HTTP-01 validation port
     */
    public int httpPort() {
        return httpPort;
    }

    /**
     * The port on which Pebble's VA connects for TLS-ALPN-01 validation. Nothing listens there
     * until the test binds its responder to 127.0.0.1 on this port.
     *
     * @return the TLS-ALPN-01 validation port
     */
    public int tlsPort() {
        return tlsPort;
    }

    /**
     * The mock DNS server (UDP and TCP) that Pebble's VA queries; DNS-01 tests may query it too.
     *
     * @return 127.0.0.1 and the port of pebble-challtestsrv's DNS server
     */
    public InetSocketAddress dnsServer() {
        return new InetSocketAddress(LocalPorts.LOOPBACK, dnsPort);
    }

    /**
     * The self-signed certificate Pebble serves on its directory and management ports (for
     * {@code localhost} and {@code 127.0.0.1}), generated for this server only.
     *
     * @return the certificate a client must trust to talk to this server
     */
    public X509Certificate tlsTrustAnchor() {
        return tls.certificate();
    }

    /**
     * A new key store (PKCS#12, in memory, no password) holding {@link #tlsTrustAnchor()} as its
     * only trusted certificate.
     *
     * @return a trust store for this server; the caller may modify its copy
     */
    public KeyStore trustStore() {
        return tls.trustStore();
    }

    /**
     * A new SSL context that trusts {@link #tlsTrustAnchor()} and nothing else.
     *
     * @return an SSL context for clients of this server
     */
    public SSLContext sslContext() {
        return tls.sslContext();
    }

    /**
     * Pebble's root CA certificate, fetched once from {@code /roots/0} of the management
     * interface. Pebble generates it at start, so it differs from run to run.
     *
     * @return the root certificate that issued {@link #intermediateCertificate()}
     * @throws UncheckedIOException if the management interface cannot be reached
     */
    public X509Certificate rootCertificate() {
        X509Certificate result = root;
        if (result == null) {
            result = fetchCertificate("roots/0");
            root = result;
        }
        return result;
    }

    /**
     * One of Pebble's root CA certificates: index 0 is the default chain's root, 1 and up the
     * roots of the alternate chains asked for with {@link Builder#alternateRoots(int)}.
     *
     * @param index the root's index
     * @return the root certificate, fetched from {@code /roots/<index>}
     * @throws UncheckedIOException if the management interface cannot be reached
     */
    public X509Certificate rootCertificate(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
        return index == 0 ? rootCertificate() : fetchCertificate("roots/" + index);
    }

    /**
     * Pebble's intermediate CA certificate, fetched once from {@code /intermediates/0} of the
     * management interface; it signs the certificates Pebble issues.
     *
     * @return the intermediate certificate
     * @throws UncheckedIOException if the management interface cannot be reached
     */
    public X509Certificate intermediateCertificate() {
        X509Certificate result = intermediate;
        if (result == null) {
            result = fetchCertificate("intermediates/0");
            intermediate = result;
        }
        return result;
    }

    /**
     * Makes the mock DNS server answer {@code A} queries for {@code host} with {@code ipv4}
     * (in addition to addresses added before).
     *
     * @param host a host name, with or without the trailing dot
     * @param ipv4 an IPv4 address literal, such as {@code 127.0.0.1}
     */
    public void addARecord(String host, String ipv4) {
        String fqdn = fqdn(host);
        String address = ipv4(ipv4, "ipv4");
        postChallTestSrv("add-a", "{\"host\":" + PebbleConfig.quote(fqdn)
                + ",\"addresses\":[" + PebbleConfig.quote(address) + "]}");
    }

    /**
     * Removes the {@code A} records added for {@code host}; queries for it get the default
     * address again.
     *
     * @param host a host name, with or without the trailing dot
     */
    public void clearARecord(String host) {
        postChallTestSrv("clear-a", "{\"host\":" + PebbleConfig.quote(fqdn(host)) + "}");
    }

    /**
     * Sets the address the mock DNS server answers for {@code A} queries of names without a
     * record of their own (127.0.0.1 at start).
     *
     * @param ipv4 an IPv4 address literal
     */
    public void setDefaultIPv4(String ipv4) {
        postChallTestSrv("set-default-ipv4", "{\"ip\":" + PebbleConfig.quote(ipv4(ipv4, "ipv4")) + "}");
    }

    /**
     * Makes the mock DNS server answer {@code TXT} queries for {@code host} with {@code value},
     * for DNS-01 (e.g. host {@code _acme-challenge.example.test}).
     *
     * @param host a host name, with or without the trailing dot
     * @param value the TXT value
     */
    public void addTxtRecord(String host, String value) {
        requireNonNull(value, "value");
        postChallTestSrv("set-txt", "{\"host\":" + PebbleConfig.quote(fqdn(host))
                + ",\"value\":" + PebbleConfig.quote(value) + "}");
    }

    /**
     * Removes the {@code TXT} records of {@code host}.
     *
     * @param host a host name, with or without the trailing dot
     */
    public void clearTxtRecord(String host) {
        postChallTestSrv("clear-txt", "{\"host\":" + PebbleConfig.quote(fqdn(host)) + "}");
    }

    /**
     * The number of ACME accounts Pebble holds, as it last logged it.
     *
     * @return the latest account count Pebble printed, 0 before the first account
     */
    public int accountCount() {
        return lastCount(pebble.log(), ACCOUNTS);
    }

    /**
     * The number of orders Pebble holds, as it last logged it.
     *
     * @return the latest order count Pebble printed, 0 before the first order
     */
    public int orderCount() {
        return lastCount(pebble.log(), ORDERS);
    }

    /**
     * How many ACME requests Pebble has answered so far (directory, nonce, account, order,
     * authorization, challenge, finalize, certificate), counted from the line Pebble logs for each.
     * Benchmarks report it per certificate.
     *
     * @return the number of requests since start
     */
    public int requestCount() {
        java.util.regex.Matcher m = REQUESTS.matcher(pebble.log());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * What Pebble and pebble-challtestsrv have printed so far, for failure messages. Holds no
     * secrets: Pebble does not log keys.
     *
     * @return both logs, each under a header line
     */
    public String log() {
        return "==== pebble ====\n" + pebble.log() + "\n==== pebble-challtestsrv ====\n" + challTestSrv.log();
    }

    /**
     * Stops both processes, waits until they have ended, and deletes the working directory.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        stopProcessesAndDelete();
        LOG.debug("Pebble stopped; directory was {}", directoryUrl());
    }

    @Override
    public String toString() {
        return "PebbleServer[" + directoryUrl() + ", httpPort=" + httpPort + ", tlsPort=" + tlsPort
                + ", dns=127.0.0.1:" + dnsPort + "]";
    }

    private void stopProcessesAndDelete() {
        pebble.stop();
        challTestSrv.stop();
        deleteRecursively(workDirectory);
    }

    private X509Certificate fetchCertificate(String path) {
        HttpRequest request = HttpRequest.newBuilder(managementUrl().resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        HttpResponse<byte[]> response = send(pebbleClient, request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Pebble answered " + response.statusCode() + " for "
                    + request.uri() + ": " + new String(response.body(), UTF_8));
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(response.body()));
        } catch (CertificateException e) {
            throw new IllegalStateException("Pebble sent no certificate for " + request.uri(), e);
        }
    }

    private void postChallTestSrv(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + challTestSrvManagementPort + "/" + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8))
                .build();
        HttpResponse<String> response = send(challTestSrvClient, request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("pebble-challtestsrv answered " + response.statusCode()
                    + " to POST /" + path + " " + json + ": " + response.body());
        }
        LOG.debug("pebble-challtestsrv: POST /{} {}", path, json);
    }

    private static <T> HttpResponse<T> send(HttpClient client, HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    /** The last number {@code pattern} captured in {@code log}, 0 if none. */
    static int lastCount(String log, Pattern pattern) {
        Matcher matcher = pattern.matcher(log);
        int count = 0;
        while (matcher.find()) {
            count = Integer.parseInt(matcher.group(1));
        }
        return count;
    }

    /** {@code host} in lower case with exactly one trailing dot, as challtestsrv expects. */
    static String fqdn(String host) {
        requireNonNull(host, "host");
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.startsWith(".") || name.contains("..") || !name.matches("[a-z0-9_*.-]+")) {
            throw new IllegalArgumentException("not a DNS host name: '" + host + "'");
        }
        return name + ".";
    }

    private static String ipv4(String address, String name) {
        requireNonNull(address, name);
        if (!IPV4.matcher(address).matches()) {
            throw new IllegalArgumentException(name + " must be an IPv4 address literal, was '" + address + "'");
        }
        return address;
    }

    /** Accepts an unset, blank or {@code local} mode; refuses others with what to do instead. */
    static void checkMode(String mode) {
        if (mode == null || mode.isBlank() || mode.strip().equalsIgnoreCase("local")) {
            return;
        }
        if (mode.strip().equalsIgnoreCase("testcontainers")) {
            throw new IllegalStateException(MODE_VARIABLE + "=testcontainers is not implemented in this"
                    + " version of autocert4j-testing: install the Debian/Ubuntu package `pebble` and unset "
                    + MODE_VARIABLE);
        }
        throw new IllegalStateException(MODE_VARIABLE + " must be unset, 'local' or 'testcontainers', was '"
                + mode + "'");
    }

    static Optional<Path> findOnPath(String executable, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("Cannot delete {}: {}", directory, e.toString());
        }
    }

    private static final class Processes {
        ChildProcess challTestSrv;
        ChildProcess pebble;

        void stop() {
            if (pebble != null) {
                pebble.stop();
            }
            if (challTestSrv != null) {
                challTestSrv.stop();
            }
        }
    }

    /**
     * Configures and starts a {@link PebbleServer}. Each setting may be made once; setters check
     * their argument at once. Not thread-safe.
     */
    public static final class Builder {

        private Boolean vaNoSleep;
        private Integer nonceRejectPercent;
        private Integer authzReusePercent;
        private Integer alternateRoots;
        private Duration certificateValidity;
        private Duration startTimeout;
        private InetSocketAddress dnsServer;
        private final Map<String, String> externalAccountKeys = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Whether Pebble's VA validates at once instead of sleeping 0–15 s before each
         * validation ({@code PEBBLE_VA_NOSLEEP}). Default: {@code true}, no sleep.
         *
         * @param noSleep {@code true} to validate without the random sleep
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder vaNoSleep(boolean noSleep) {
            requireUnset(vaNoSleep, "vaNoSleep");
            this.vaNoSleep = noSleep;
            return this;
        }

        /**
         * The percentage of valid nonces Pebble rejects with {@code badNonce}
         * ({@code PEBBLE_WFE_NONCEREJECT}), to exercise a client's retry. Default: Pebble's own (5).
         *
         * @param percent 0 to 100
         * @return this builder
         * @throws IllegalArgumentException if not within 0..100
         * @throws IllegalStateException if already set
         */
        public Builder nonceRejectPercent(int percent) {
            requireUnset(nonceRejectPercent, "nonceRejectPercent");
            this.nonceRejectPercent = percent(percent, "nonceRejectPercent");
            return this;
        }

        /**
         * The percentage of new orders for which Pebble reuses a valid authorization of the same
         * account ({@code PEBBLE_AUTHZREUSE}). Default: Pebble's own (50).
         *
         * @param percent 0 to 100
         * @return this builder
         * @throws IllegalArgumentException if not within 0..100
         * @throws IllegalStateException if already set
         */
        public Builder authzReuse(int percent) {
            requireUnset(authzReusePercent, "authzReuse");
            this.authzReusePercent = percent(percent, "authzReuse");
            return this;
        }

        /**
         * How many alternate chains, each to its own root, Pebble offers beside the default
         * chain ({@code PEBBLE_ALTERNATE_ROOTS}), to test preferred-chain selection. Default: 0.
         *
         * @param count 0 to 5
         * @return this builder
         * @throws IllegalArgumentException if not within 0..5
         * @throws IllegalStateException if already set
         */
        public Builder alternateRoots(int count) {
            requireUnset(alternateRoots, "alternateRoots");
            if (count < 0 || count > 5) {
                throw new IllegalArgumentException("alternateRoots must be between 0 and 5, was " + count);
            }
            this.alternateRoots = count;
            return this;
        }

        /**
         * The validity of the certificates Pebble issues ({@code certificateValidityPeriod}).
         * Default: Pebble's own (five years).
         *
         * @param validity a positive whole number of seconds
         * @return this builder
         * @throws IllegalArgumentException if not positive or not whole seconds
         * @throws IllegalStateException if already set
         */
        public Builder certificateValidity(Duration validity) {
            requireNonNull(validity, "validity");
            requireUnset(certificateValidity, "certificateValidity");
            if (validity.isNegative() || validity.isZero() || validity.getNano() != 0) {
                throw new IllegalArgumentException(
                        "certificateValidity must be a positive whole number of seconds, was " + validity);
            }
            this.certificateValidity = validity;
            return this;
        }

        /**
         * Requires External Account Binding and adds one EAB key. May be called for several
         * key ids. The key is never logged.
         *
         * @param keyId the EAB key identifier ({@code kid})
         * @param base64UrlHmacKey the HMAC key, base64url without padding, as the CA hands it out
         * @return this builder
         * @throws IllegalArgumentException if the key id is blank or the key is not unpadded
         *     base64url of at least 16 bytes
         * @throws IllegalStateException if the key id was added before
         */
        public Builder externalAccountBinding(String keyId, String base64UrlHmacKey) {
            requireNonNull(keyId, "keyId");
            requireNonNull(base64UrlHmacKey, "base64UrlHmacKey");
            if (keyId.isBlank() || !keyId.strip().equals(keyId)) {
                throw new IllegalArgumentException("keyId must be non-blank without surrounding spaces");
            }
            if (!base64UrlHmacKey.matches("[A-Za-z0-9_-]+") || base64UrlHmacKey.length() % 4 == 1
                    || base64UrlHmacKey.length() * 3 / 4 < 16) {
                throw new IllegalArgumentException("the HMAC key of '" + keyId
                        + "' must be unpadded base64url of at least 16 bytes");
            }
            if (externalAccountKeys.containsKey(keyId)) {
                throw new IllegalStateException("EAB key id '" + keyId + "' was already added");
            }
            externalAccountKeys.put(keyId, base64UrlHmacKey);
            return this;
        }

        /**
         * Makes Pebble's VA resolve every name through this DNS server (Pebble's
         * {@code -dnsserver}) instead of pebble-challtestsrv's, e.g. a {@link BindServer} for
         * DNS-01 tests with real zones. pebble-challtestsrv still runs, and
         * {@link PebbleServer#dnsServer()} and the record methods still address it, but Pebble no
         * longer asks it. Default: pebble-challtestsrv's DNS server.
         *
         * @param server the DNS server's address, e.g. {@link BindServer#address()}
         * @return this builder
         * @throws IllegalArgumentException if the address is unresolved
         * @throws IllegalStateException if already set
         */
        public Builder dnsServer(InetSocketAddress server) {
            requireNonNull(server, "server");
            requireUnset(dnsServer, "dnsServer");
            if (server.isUnresolved()) {
                throw new IllegalArgumentException("dnsServer " + server + " is unresolved: give an IP address");
            }
            this.dnsServer = server;
            return this;
        }

        /**
         * How long {@link #start()} waits for each process to answer. Default: 15 seconds.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder startTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            requireUnset(startTimeout, "startTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Starts pebble-challtestsrv and Pebble and waits until both answer.
         *
         * @return the running server; close it when done
         * @throws IllegalStateException if Pebble is not installed, does not start in time (the
         *     message holds the tail of its log), or {@code AUTOCERT4J_PEBBLE} asks for a mode
         *     this version does not support
         * @throws UncheckedIOException if the working directory cannot be written
         */
        public PebbleServer start() {
            checkMode(System.getenv(MODE_VARIABLE));
            String path = System.getenv("PATH");
            Path pebbleExecutable = findOnPath("pebble", path).orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
            Path challTestSrvExecutable = findOnPath("pebble-challtestsrv", path)
                    .orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
            Path directory;
            try {
                directory = Files.createTempDirectory("autocert4j-pebble-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a working directory for Pebble", e);
            }
            try {
                TlsMaterial tls = TlsMaterial.generate();
                tls.write(directory.resolve("cert.pem"), directory.resolve("key.pem"));
                for (int attempt = 1; ; attempt++) {
                    List<Integer> ports = LocalPorts.free(6);
                    Processes processes = new Processes();
                    try {
                        startProcesses(processes, directory, ports, pebbleExecutable, challTestSrvExecutable);
                        PebbleServer server = new PebbleServer(directory, tls, processes, ports);
                        LOG.debug("Pebble started: {}", server);
                        return server;
                    } catch (RuntimeException e) {
                        processes.stop();
                        boolean portTaken = processes.pebble != null && processes.pebble.log().contains("address already in use")
                                || processes.challTestSrv != null && processes.challTestSrv.log().contains("address already in use");
                        if (!portTaken || attempt == START_ATTEMPTS) {
                            throw e;
                        }
                        LOG.debug("A port was taken while Pebble started; retrying with other ports");
                    }
                }
            } catch (RuntimeException e) {
                deleteRecursively(directory);
                throw e;
            }
        }

        private void startProcesses(Processes processes, Path directory, List<Integer> ports,
                Path pebbleExecutable, Path challTestSrvExecutable) {
            Duration timeout = startTimeout != null ? startTimeout : Duration.ofSeconds(15);
            int dnsPort = ports.get(2);
            int challTestSrvManagementPort = ports.get(3);
            Path challTestSrvLog = directory.resolve("pebble-challtestsrv.log");
            deleteIfExists(challTestSrvLog);
            processes.challTestSrv = ChildProcess.start("pebble-challtestsrv", List.of(
                    challTestSrvExecutable.toString(),
                    "-dns01", "127.0.0.1:" + dnsPort,
                    "-management", "127.0.0.1:" + challTestSrvManagementPort,
                    "-http01", "",
                    "-https01", "",
                    "-tlsalpn01", "",
                    "-defaultIPv4", "127.0.0.1",
                    "-defaultIPv6", ""), Map.of(), directory, challTestSrvLog);
            awaitReady(processes.challTestSrv, timeout,
                    () -> LocalPorts.accepts(challTestSrvManagementPort) && LocalPorts.accepts(dnsPort));

            PebbleConfig config = config(directory, ports);
            Path configFile = directory.resolve("pebble-config.json");
            try {
                Files.writeString(configFile, config.toJson(), UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + configFile, e);
            }
            Path pebbleLog = directory.resolve("pebble.log");
            deleteIfExists(pebbleLog);
            processes.pebble = ChildProcess.start("pebble", List.of(
                    pebbleExecutable.toString(),
                    "-config", configFile.toString(),
                    "-dnsserver", pebbleDnsServer(dnsPort)), environment(), directory, pebbleLog);
            awaitReady(processes.pebble, timeout,
                    () -> LocalPorts.accepts(ports.get(0)) && LocalPorts.accepts(ports.get(1)));
        }

        String pebbleDnsServer(int challTestSrvDnsPort) {
            if (dnsServer == null) {
                return "127.0.0.1:" + challTestSrvDnsPort;
            }
            String host = dnsServer.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + dnsServer.getPort();
        }

        PebbleConfig config(Path directory, List<Integer> ports) {
            return new PebbleConfig(ports.get(0), ports.get(1), directory.resolve("cert.pem"),
                    directory.resolve("key.pem"), ports.get(4), ports.get(5),
                    Optional.ofNullable(certificateValidity), externalAccountKeys);
        }

        /** Pebble's environment: inherited {@code PEBBLE_*} knobs removed, ours set. */
        Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            for (String name : System.getenv().keySet()) {
                if (name.startsWith("PEBBLE_")) {
                    environment.put(name, null);
                }
            }
            if (vaNoSleep == null || vaNoSleep) {
                environment.put("PEBBLE_VA_NOSLEEP", "1");
            }
            if (nonceRejectPercent != null) {
                environment.put("PEBBLE_WFE_NONCEREJECT", nonceRejectPercent.toString());
            }
            if (authzReusePercent != null) {
                environment.put("PEBBLE_AUTHZREUSE", authzReusePercent.toString());
            }
            if (alternateRoots != null) {
                environment.put("PEBBLE_ALTERNATE_ROOTS", alternateRoots.toString());
            }
            return environment;
        }

        private static void awaitReady(ChildProcess process, Duration timeout, BooleanSupplier ready) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(process.name() + " exited with code " + process.exitCode()
                            + " while starting; its log ends with:\n" + process.logTail(20));
                }
                if (ready.getAsBoolean()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(process.name() + " did not answer within " + timeout
                            + "; its log ends with:\n" + process.logTail(20));
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + process.name(), e);
                }
            }
        }

        private static void deleteIfExists(Path file) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static int percent(int value, String name) {
            if (value < 0 || value > 100) {
                throw new IllegalArgumentException(name + " must be within 0..100, was " + value);
            }
            return value;
        }

        private static void requireUnset(Object value, String name) {
            if (value != null) {
                throw new IllegalStateException(name + " was already set");
            }
        }
    }
}
