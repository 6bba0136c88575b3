package dev.autocert4j.testing;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.testing.internal.LocalPorts;
import dev.autocert4j.testing.internal.StopOnce;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Pebble ACME test CA with its companion {@code pebble-challtestsrv} mock DNS server, listening
 * on free ports of 127.0.0.1 only, as local processes or containers ({@link PebbleMode}).
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
 * <p>{@link PebbleMode#LOCAL} needs {@code pebble} and {@code pebble-challtestsrv} on the
 * {@code PATH} (Debian/Ubuntu package {@code pebble}); {@link PebbleMode#TESTCONTAINERS} needs
 * {@code autocert4j-testing-testcontainers} and a reachable Docker API, and runs both containers
 * in the host's network. Thread-safe. {@link #close()} stops both and deletes the working
 * directory; a JVM shutdown hook does the same if a test forgets.
 */
public final class PebbleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PebbleServer.class);

    private final PebbleProcesses processes;
    private final PebblePorts ports;
    private final PebbleManagement management;
    private final ChallTestSrvControl challTestSrv;
    private final StopOnce stop;

    private PebbleServer(PebbleProcesses processes) {
        this.processes = processes;
        this.ports = processes.ports();
        this.management = new PebbleManagement(managementUrl(), processes.tls().sslContext());
        this.challTestSrv = new ChallTestSrvControl(ports.challTestSrvManagement());
        this.stop = StopOnce.registerShutdownHook(processes::stopAndDelete, "autocert4j-pebble-shutdown");
    }

    /**
     * Returns a new builder; {@link Builder#start()} starts the server.
     * @return a new builder with Pebble's defaults, except that the VA does not sleep
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The ACME directory URL, {@code https://127.0.0.1:<port>/dir}.
     * @return the directory URL; its TLS certificate is {@link #tlsTrustAnchor()}
     */
    public URI directoryUrl() {
        return URI.create("https://127.0.0.1:" + ports.acme() + "/dir");
    }

    /**
     * The base URL of Pebble's management interface ({@code /roots/0}, {@code /intermediates/0},
     * …), served with the same TLS certificate as the directory.
     * @return the management base URL, {@code https://127.0.0.1:<port>/}
     */
    public URI managementUrl() {
        return URI.create("https://127.0.0.1:" + ports.management() + "/");
    }

    /**
     * The port on which Pebble's VA connects for HTTP-01 validation. Nothing listens there until
     * the test binds its challenge responder to 127.0.0.1 on this port.
     * @return the HTTP-01 validation port
     */
    public int httpPort() {
        return ports.http();
    }

    /**
     * The port on which Pebble's VA connects for TLS-ALPN-01 validation. Nothing listens there
     * until the test binds its responder to 127.0.0.1 on this port.
     * @return the TLS-ALPN-01 validation port
     */
    public int tlsPort() {
        return ports.tls();
    }

    /**
     * The mock DNS server (UDP and TCP) that Pebble's VA queries; DNS-01 tests may query it too.
     * @return 127.0.0.1 and the port of pebble-challtestsrv's DNS server
     */
    public InetSocketAddress dnsServer() {
        return new InetSocketAddress(LocalPorts.LOOPBACK, ports.dns());
    }

    /**
     * The self-signed certificate Pebble serves on its directory and management ports (for
     * {@code localhost} and {@code 127.0.0.1}), generated for this server only.
     * @return the certificate a client must trust to talk to this server
     */
    public X509Certificate tlsTrustAnchor() {
        return processes.tls().certificate();
    }

    /**
     * A new key store (PKCS#12, in memory, no password) holding {@link #tlsTrustAnchor()} as its
     * only trusted certificate.
     * @return a trust store for this server; the caller may modify its copy
     */
    public KeyStore trustStore() {
        return processes.tls().trustStore();
    }

    /**
     * A new SSL context that trusts {@link #tlsTrustAnchor()} and nothing else.
     * @return an SSL context for clients of this server
     */
    public SSLContext sslContext() {
        return processes.tls().sslContext();
    }

    /**
     * Pebble's root CA certificate, fetched once from {@code /roots/0} of the management
     * interface. Pebble generates it at start, so it differs from run to run.
     * @return the root certificate that issued {@link #intermediateCertificate()}
     * @throws UncheckedIOException if the management interface cannot be reached
     */
    public X509Certificate rootCertificate() {
        return management.root(0);
    }

    /**
     * One of Pebble's root CA certificates: index 0 is the default chain's root, 1 and up the
     * roots of the alternate chains asked for with {@link Builder#alternateRoots(int)}.
     * @param index the root's index
     * @return the root certificate, fetched from {@code /roots/<index>}
     * @throws UncheckedIOException if the management interface cannot be reached
     */
    public X509Certificate rootCertificate(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
        return management.root(index);
    }

    /**
     * Pebble's intermediate CA certificate, fetched once from {@code /intermediates/0} of the
     * management interface; it signs the certificates Pebble issues.
     * @return the intermediate certificate
     * @throws UncheckedIOException if the management interface cannot be reached
     */
    public X509Certificate intermediateCertificate() {
        return management.intermediate();
    }

    /**
     * Makes the mock DNS server answer {@code A} queries for {@code host} with {@code ipv4}
     * (in addition to addresses added before).
     * @param host a host name, with or without the trailing dot
     * @param ipv4 an IPv4 address literal, such as {@code 127.0.0.1}
     */
    public void addARecord(String host, String ipv4) {
        challTestSrv.addARecord(host, ipv4);
    }

    /**
     * Removes the {@code A} records added for {@code host}; queries for it get the default
     * address again.
     * @param host a host name, with or without the trailing dot
     */
    public void clearARecord(String host) {
        challTestSrv.clearARecord(host);
    }

    /**
     * Sets the address the mock DNS server answers for {@code A} queries of names without a
     * record of their own (127.0.0.1 at start).
     * @param ipv4 an IPv4 address literal
     */
    public void setDefaultIPv4(String ipv4) {
        challTestSrv.setDefaultIPv4(ipv4);
    }

    /**
     * Makes the mock DNS server answer {@code TXT} queries for {@code host} with {@code value},
     * for DNS-01 (e.g. host {@code _acme-challenge.example.test}).
     * @param host a host name, with or without the trailing dot
     * @param value the TXT value
     */
    public void addTxtRecord(String host, String value) {
        challTestSrv.addTxtRecord(host, value);
    }

    /**
     * Removes the {@code TXT} records of {@code host}.
     * @param host a host name, with or without the trailing dot
     */
    public void clearTxtRecord(String host) {
        challTestSrv.clearTxtRecord(host);
    }

    /**
     * The number of ACME accounts Pebble holds, as it last logged it.
     * @return the latest account count Pebble printed, 0 before the first account
     */
    public int accountCount() {
        return PebbleLog.accounts(processes.pebbleLog());
    }

    /**
     * The number of orders Pebble holds, as it last logged it.
     * @return the latest order count Pebble printed, 0 before the first order
     */
    public int orderCount() {
        return PebbleLog.orders(processes.pebbleLog());
    }

    /**
     * How many ACME requests Pebble has answered so far (directory, nonce, account, order,
     * authorization, challenge, finalize, certificate), counted from the line Pebble logs for each.
     * Benchmarks report it per certificate.
     * @return the number of requests since start
     */
    public int requestCount() {
        return PebbleLog.requests(processes.pebbleLog());
    }

    /**
     * What Pebble and pebble-challtestsrv have printed so far, for failure messages. Holds no
     * secrets: Pebble does not log keys.
     * @return both logs, each under a header line
     */
    public String log() {
        return processes.log();
    }

    /**
     * Stops both processes, waits until they have ended, and deletes the working directory.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        if (stop.stop()) {
            LOG.debug("Pebble stopped; directory was {}", directoryUrl());
        }
    }

    @Override
    public String toString() {
        return "PebbleServer[" + directoryUrl() + ", httpPort=" + ports.http() + ", tlsPort=" + ports.tls()
                + ", dns=127.0.0.1:" + ports.dns() + "]";
    }

    /** The working directory with configuration and logs; deleted by {@link #close()}. */
    Path workDirectory() {
        return processes.workDirectory();
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
        private PebbleMode mode;
        private String pebbleImage;
        private String challTestSrvImage;
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
            BuilderChecks.requireUnset(vaNoSleep, "vaNoSleep");
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
            BuilderChecks.requireUnset(nonceRejectPercent, "nonceRejectPercent");
            this.nonceRejectPercent = BuilderChecks.percent(percent, "nonceRejectPercent");
            return this;
        }

        /**
         * The percentage of new orders for which Pebble reuses a valid authorization of the same
         * account ({@code PEBBLE_AUTHZREUSE}). Default: Pebble's own (50). Even 0 reuses one about 1 % of
         * the time (Pebble creates a new authorization only if {@code rand.Intn(100) > percent}): a test that
         * needs the challenge of a second order for the same names gives that order a new account.
         *
         * @param percent 0 to 100
         * @return this builder
         * @throws IllegalArgumentException if not within 0..100
         * @throws IllegalStateException if already set
         */
        public Builder authzReuse(int percent) {
            BuilderChecks.requireUnset(authzReusePercent, "authzReuse");
            this.authzReusePercent = BuilderChecks.percent(percent, "authzReuse");
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
            BuilderChecks.requireUnset(alternateRoots, "alternateRoots");
            this.alternateRoots = BuilderChecks.within(count, 0, 5, "alternateRoots");
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
            BuilderChecks.requireUnset(certificateValidity, "certificateValidity");
            this.certificateValidity = BuilderChecks.positiveWholeSeconds(validity, "certificateValidity");
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
            PebbleConfig.requireMacKey(keyId, base64UrlHmacKey);
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
            BuilderChecks.requireUnset(dnsServer, "dnsServer");
            this.dnsServer = BuilderChecks.resolved(server, "dnsServer");
            return this;
        }

        /**
         * How to run Pebble. Default: as {@code AUTOCERT4J_PEBBLE} says ({@code local} or
         * {@code testcontainers}), else local if installed, else containers if a Docker API answers.
         *
         * @param mode the mode
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder mode(PebbleMode mode) {
            requireNonNull(mode, "mode");
            BuilderChecks.requireUnset(this.mode, "mode");
            this.mode = mode;
            return this;
        }

        /**
         * The images of {@link PebbleMode#TESTCONTAINERS}, whose entry points must be Pebble and
         * pebble-challtestsrv, as in the upstream images. Default: the environment variables
         * {@code AUTOCERT4J_PEBBLE_IMAGE} and {@code AUTOCERT4J_CHALLTESTSRV_IMAGE}, else
         * {@code ghcr.io/letsencrypt/pebble:2.6.0} and {@code ghcr.io/letsencrypt/pebble-challtestsrv:2.6.0}.
         *
         * @param pebbleImage the Pebble image, e.g. {@code localhost/pebble:local}
         * @param challTestSrvImage the pebble-challtestsrv image
         * @return this builder
         * @throws IllegalArgumentException if a reference is blank or holds spaces
         * @throws IllegalStateException if already set
         */
        public Builder images(String pebbleImage, String challTestSrvImage) {
            BuilderChecks.requireUnset(this.pebbleImage, "images");
            this.challTestSrvImage = BuilderChecks.imageReference(challTestSrvImage, "challTestSrvImage");
            this.pebbleImage = BuilderChecks.imageReference(pebbleImage, "pebbleImage");
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
            BuilderChecks.requireUnset(startTimeout, "startTimeout");
            this.startTimeout = BuilderChecks.positive(timeout, "startTimeout");
            return this;
        }

        /**
         * Starts pebble-challtestsrv and Pebble in the {@linkplain #mode(PebbleMode) mode} set or
         * chosen, and waits until both answer.
         *
         * @return the running server; close it when done
         * @throws IllegalStateException if Pebble can run in no mode here, the mode set cannot run
         *     (not installed, no container engine), Pebble does not start in time (the message
         *     holds the tail of its log), or {@code AUTOCERT4J_PEBBLE} holds an unknown mode
         * @throws UncheckedIOException if the working directory cannot be written
         */
        public PebbleServer start() {
            PebbleModeChoice choice = choice();
            return start(choice.mode().orElseThrow(() -> new IllegalStateException(choice.unavailable())));
        }

        /** The mode this builder would start in, asking the machine as little as needed. */
        PebbleModeChoice choice() {
            return PebbleStart.choose(mode);
        }

        /** Starts in {@code mode}. */
        PebbleServer start(PebbleMode mode) {
            PebbleServer server = new PebbleServer(PebbleStart.launch(mode, settings(), pebbleImage, challTestSrvImage));
            LOG.debug("Pebble started ({}): {}", mode, server);
            return server;
        }

        /** The settings made so far, with defaults for those not made. */
        PebbleSettings settings() {
            return new PebbleSettings(vaNoSleep == null || vaNoSleep, nonceRejectPercent, authzReusePercent,
                    alternateRoots, Optional.ofNullable(certificateValidity),
                    startTimeout != null ? startTimeout : Duration.ofSeconds(15), Optional.ofNullable(dnsServer),
                    externalAccountKeys);
        }
    }
}
