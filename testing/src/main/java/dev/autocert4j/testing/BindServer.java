package dev.autocert4j.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.Executables;
import dev.autocert4j.testing.internal.LocalPorts;
import dev.autocert4j.testing.internal.StopOnce;
import dev.autocert4j.testing.internal.WorkDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local BIND 9 ({@code named}) authoritative server for DNS-01 tests, started in the foreground
 * on a free port of 127.0.0.1 with a generated configuration: the given zones (each with SOA, NS
 * {@code ns1.<zone>} → 127.0.0.1, and extra records), dynamic updates allowed with a generated
 * TSIG key (hmac-sha256), and recursion for 127.0.0.1 so that a CNAME from one local zone into
 * another is chased when Pebble asks.
 *
 * <pre>{@code
 * try (BindServer bind = BindServer.builder().zone("example.test").start();
 *      PebbleServer pebble = PebbleServer.builder().dnsServer(bind.address()).start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Keep test names inside the configured zones: with recursion on and no internet, a query for
 * any other name waits until it times out. Needs {@code /usr/sbin/named} (Debian/Ubuntu package
 * {@code bind9}; installing it starts no daemon). The TSIG secret is never logged or printed.
 * Thread-safe; {@link #close()} stops {@code named} and deletes its directory.
 */
public final class BindServer implements AutoCloseable {
    static final String NOT_INSTALLED = "BIND 9 is not installed: run `apt-get install -y bind9` (Debian/Ubuntu), "
            + "or put named on the PATH";
    /** The name of the TSIG key that may update every zone. */
    public static final String TSIG_KEY_NAME = "autocert4j-test";
    /** The algorithm of the TSIG key. */
    public static final String TSIG_ALGORITHM = "hmac-sha256";

    private static final Logger LOG = LoggerFactory.getLogger(BindServer.class);
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final ChildProcess named;
    private final int port;
    private final String tsigSecret;
    private final List<String> zones;
    private final StopOnce stop;

    private BindServer(Path directory, ChildProcess named, int port, String tsigSecret, List<String> zones) {
        this.directory = directory;
        this.named = named;
        this.port = port;
        this.tsigSecret = tsigSecret;
        this.zones = zones;
        this.stop = StopOnce.registerShutdownHook(this::stopAndDelete, "autocert4j-bind-shutdown");
    }

    /** @return a builder; add at least one zone */
    public static Builder builder() {
        return new Builder();
    }

    /** @return 127.0.0.1 and the port named answers on (UDP and TCP), authoritative and recursive */
    public InetSocketAddress address() {
        return new InetSocketAddress(LocalPorts.LOOPBACK, port);
    }

    /** @return the port named answers on */
    public int port() {
        return port;
    }

    /** @return the zones it serves, without trailing dots */
    public List<String> zones() {
        return zones;
    }

    /**
     * The secret of the TSIG key {@link #TSIG_KEY_NAME} ({@link #TSIG_ALGORITHM}) that may update
     * every zone; generated per server. Do not log it.
     *
     * @return the key's secret, base64
     */
    public String tsigSecret() {
        return tsigSecret;
    }

    /** @return what named has printed so far (holds no secrets) */
    public String log() {
        return named.log();
    }

    /** Stops named and deletes its directory; calling it again does nothing. */
    @Override
    public void close() {
        stop.stop();
    }

    private void stopAndDelete() {
        named.stop();
        WorkDirectories.deleteRecursively(directory);
    }

    @Override
    public String toString() {
        return "BindServer[127.0.0.1:" + port + ", zones=" + zones + "]";
    }

    /**
     * Configures and starts a {@link BindServer}. Setters check their argument at once; a zone may
     * be added once. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, List<String>> zones = new LinkedHashMap<>();
        private Duration startTimeout;

        private Builder() {
        }

        /**
         * Adds a zone with SOA, NS {@code ns1.<zone>.} and {@code ns1.<zone>. A 127.0.0.1}.
         *
         * @param zone the zone's apex, e.g. {@code example.test}
         * @param records extra records in zone file syntax, owner names relative to the zone or
         *     absolute with a trailing dot, e.g. {@code "_acme-challenge.app CNAME app.delegated.test."}
         * @return this builder
         * @throws IllegalStateException if the zone was added before
         */
        public Builder zone(String zone, String... records) {
            requireNonNull(zone, "zone");
            requireNonNull(records, "records");
            String name = zone.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
            if (!name.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
                throw new IllegalArgumentException("zone '" + zone + "' is not a DNS name");
            }
            if (zones.containsKey(name)) {
                throw new IllegalStateException("zone " + name + " was already added");
            }
            List<String> list = new ArrayList<>();
            for (String r : records) {
                list.add(requireNonNull(r, "record"));
            }
            zones.put(name, list);
            return this;
        }

        /**
         * @param timeout how long {@link #start()} waits for named to answer; 15 seconds if unset
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            if (startTimeout != null) {
                throw new IllegalStateException("startTimeout was already set");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Writes the configuration and zone files and starts named.
         *
         * @return the running server; close it when done
         * @throws IllegalStateException if named is not installed or does not start (the message
         *     holds the tail of its log), or no zone was added
         */
        public BindServer start() {
            if (zones.isEmpty()) {
                throw new IllegalStateException("BindServer needs at least one zone: call zone(\"example.test\")");
            }
            Path namedExecutable = Executables.findOnPath("named", System.getenv("PATH") + ":/usr/sbin:/usr/local/sbin")
                    .orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
            Path directory = WorkDirectories.create("autocert4j-bind-", "named");
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String secret = Base64.getEncoder().encodeToString(key);
            Duration timeout = startTimeout != null ? startTimeout : Duration.ofSeconds(15);
            try {
                for (int attempt = 1; ; attempt++) {
                    int port = LocalPorts.free(1).get(0);
                    writeFiles(directory, port, secret);
                    Path log = directory.resolve("named.log");
                    ChildProcess named = ChildProcess.start("named", List.of(namedExecutable.toString(), "-g",
                            "-c", directory.resolve("named.conf").toString(), "-u", System.getProperty("user.name")),
                            Map.of(), directory, log);
                    try {
                        // named's last start-up line is "<time> running", after "all zones loaded"; its first lines
                        // ("running on Linux ...", "running as: ...") come before any zone is loaded, and a query then
                        // gets SERVFAIL.
                        named.awaitReady(timeout, () -> named.log().lines().anyMatch(l -> l.endsWith(" running"))
                                && LocalPorts.accepts(port));
                        BindServer server = new BindServer(directory, named, port, secret, List.copyOf(zones.keySet()));
                        LOG.debug("named started: {}", server);
                        return server;
                    } catch (RuntimeException e) {
                        named.stop();
                        if (!named.log().contains("address in use") || attempt == START_ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            } catch (RuntimeException e) {
                WorkDirectories.deleteRecursively(directory);
                throw e;
            }
        }

        private void writeFiles(Path directory, int port, String secret) {
            StringBuilder conf = new StringBuilder();
            String dir = directory.toString();
            conf.append("options {\n")
                    .append("  directory \"").append(dir).append("\";\n")
                    .append("  pid-file \"").append(dir).append("/named.pid\";\n")
                    .append("  session-keyfile \"").append(dir).append("/session.key\";\n")
                    .append("  managed-keys-directory \"").append(dir).append("\";\n")
                    .append("  listen-on port ").append(port).append(" { 127.0.0.1; };\n")
                    .append("  listen-on-v6 { none; };\n")
                    .append("  recursion yes;\n  allow-recursion { 127.0.0.1; };\n")
                    .append("  allow-query { 127.0.0.1; };\n")
                    .append("  dnssec-validation no;\n")
                    .append("  notify no;\n")
                    .append("};\n")
                    .append("controls { };\n")
                    .append("key \"").append(TSIG_KEY_NAME).append("\" {\n  algorithm ").append(TSIG_ALGORITHM)
                    .append(";\n  secret \"").append(secret).append("\";\n};\n");
            try {
                for (Map.Entry<String, List<String>> zone : zones.entrySet()) {
                    String file = zone.getKey() + ".zone";
                    conf.append("zone \"").append(zone.getKey()).append("\" {\n  type master;\n  file \"")
                            .append(file).append("\";\n  allow-update { key \"").append(TSIG_KEY_NAME).append("\"; };\n};\n");
                    Files.deleteIfExists(directory.resolve(file + ".jnl"));
                    Files.writeString(directory.resolve(file), zoneFile(zone.getKey(), zone.getValue()), UTF_8);
                }
                Files.writeString(directory.resolve("named.conf"), conf.toString(), UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the configuration of named in " + directory, e);
            }
        }

        static String zoneFile(String zone, List<String> records) {
            StringBuilder z = new StringBuilder();
            z.append("$ORIGIN ").append(zone).append(".\n$TTL 60\n")
                    .append("@ IN SOA ns1.").append(zone).append(". hostmaster.").append(zone)
                    .append(". ( 1 3600 600 86400 1 )\n")
                    .append("@ IN NS ns1.").append(zone).append(".\n")
                    .append("ns1 IN A 127.0.0.1\n");
            for (String r : records) {
                z.append(r).append('\n');
            }
            return z.toString();
        }
    }
}
