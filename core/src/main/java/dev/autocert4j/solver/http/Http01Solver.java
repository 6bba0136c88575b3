package dev.autocert4j.solver.http;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Identifier;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.internal.http.ChallengeResponder;
import dev.autocert4j.internal.http.FetchedToken;
import dev.autocert4j.internal.http.ForwardingFetchedToken;
import dev.autocert4j.internal.http.ResponderLimits;
import dev.autocert4j.internal.http.ServedToken;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Solves HTTP-01 with a responder inside this process: the CA fetches
 * {@code http://<name>/.well-known/acme-challenge/<token>} and gets the key authorization.
 *
 * <p>Two ways to serve it:
 * <ul>
 *   <li>{@linkplain Builder#standalone(InetSocketAddress) standalone}: its own small HTTP server
 *       on the given address and port (port 80 as seen by the CA), started on the first challenge
 *       or by {@link #start()}, stopped by {@link #close()}. Built for port 80 of the internet,
 *       where clients may be hostile: one thread, which no client can hold; at most 1024
 *       connections (a new one beyond that closes the oldest); each connection closed 5 seconds
 *       after it was accepted, whatever it is doing; a request line and headers of at most 8 KiB
 *       (else {@code 431}); only {@code GET} and {@code HEAD} under the challenge prefix ({@code 405}
 *       for other methods there, {@code 404} for every other path); every answer closes the
 *       connection;</li>
 *   <li>{@linkplain Builder#mounted() mounted} into the host's own server: call
 *       {@link #respond(String)} for requests under {@code /.well-known/acme-challenge/} from any
 *       server (Jetty, Netty, a servlet), or mount {@link JdkHttp01Handler#of(Http01Solver)} into a
 *       JDK {@code HttpServer}.</li>
 * </ul>
 *
 * <p>Either way this is the one responder the application serves. Solvers that route the CA to it
 * from elsewhere (the Ingress solver of {@code autocert4j-solvers-http-ingress}, given it as its
 * {@code responder}) {@linkplain #addTokenSource(TokenSource) add a token source}, so that it also
 * answers tokens that another replica presented.
 *
 * <p>HTTP-01 cannot prove a wildcard name; such names are refused before an order is placed. Before every
 * order ({@link Preflight}) a standalone responder that is not running yet checks that its address can be
 * bound (bound and released at once), so that a port held by another process fails before the CA is asked.
 * Thread-safe.
 */
public final class Http01Solver implements Solver, AutoCloseable, Preflight {
    /** The path prefix the CA requests. */
    public static final String PATH_PREFIX = "/.well-known/acme-challenge/";

    private static final Logger LOG = LoggerFactory.getLogger(Http01Solver.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

    private final InetSocketAddress bindAddress;
    private final ConcurrentHashMap<String, ServedToken> responses = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<TokenSource> tokenSources = new CopyOnWriteArrayList<>();
    private ChallengeResponder server;

    private Http01Solver(InetSocketAddress bindAddress) {
        this.bindAddress = bindAddress;
    }

    /**
     * Key authorizations of tokens presented elsewhere, e.g. by another replica. Every request a client
     * sends for an unknown token reaches it, so implementations MUST answer from memory (no I/O per call)
     * and MUST be thread-safe.
     */
    @FunctionalInterface
    public interface TokenSource {
        /**
         * @param token a well-formed (base64url) challenge token
         * @return its key authorization, or empty when this source does not know it
         */
        Optional<String> keyAuthorization(String token);
    }

    /** @return a builder; choose {@link Builder#standalone} or {@link Builder#mounted()} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChallengeType challengeType() {
        return ChallengeType.HTTP_01;
    }

    /** HTTP-01 proves DNS names and IP addresses, never wildcards. */
    @Override
    public boolean canSolve(Identifier identifier) {
        return !identifier.isWildcard();
    }

    @Override
    public Presentation present(ChallengeRequest challenge) throws SolverException {
        requireNonNull(challenge, "challenge");
        if (!TOKEN.matcher(challenge.token()).matches()) {
            throw new SolverException("The CA sent a challenge token that is not base64url; refusing to serve it", false, null);
        }
        if (bindAddress != null) {
            try {
                start();
            } catch (IOException e) {
                throw new SolverException("Could not start the HTTP-01 responder on " + bindAddress + ": " + Messages.describe(e)
                        + ". Free the port or choose another with standalone(address)", true, e);
            }
        }
        String token = challenge.token();
        ServedToken served = new ServedToken(challenge.keyAuthorization());
        responses.put(token, served);
        LOG.debug("Serving HTTP-01 token {} for {}", token, challenge.identifier());
        return new Served(token, served);
    }

    /** A presented token; tells the order flow when it was fetched (the CA's validation signal). */
    private final class Served implements Presentation, ForwardingFetchedToken {
        private final String token;
        private final ServedToken served;

        Served(String token, ServedToken served) {
            this.token = token;
            this.served = served;
        }

        @Override
        public FetchedToken fetchedToken() {
            return served;
        }

        @Override
        public void close() {
            if (responses.remove(token, served)) {
                LOG.debug("Removed HTTP-01 token {}", token);
            }
        }
    }

    /**
     * Passes when the solver is mounted or its standalone responder runs already; otherwise binds the
     * standalone address and releases it at once.
     *
     * @throws PreflightException when the address cannot be bound (another process holds the port, or ports
     *     below 1024 need a privilege this process lacks)
     */
    @Override
    public synchronized void preflight(PreflightRequest request) throws PreflightException {
        if (bindAddress == null || server != null) {
            return;
        }
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(bindAddress);
        } catch (IOException e) {
            throw new PreflightException("The HTTP-01 responder cannot listen on " + bindAddress + " (" + Messages.describe(e)
                    + "): stop the process that holds the port, or choose another with standalone(address) and forward "
                    + "port 80 to it (ports below 1024 also need the privilege to bind them)", true, e);
        }
    }

    /**
     * The responder as a plain function, for servers other than the JDK's. Call it for {@code GET} and
     * {@code HEAD} requests only: each answer counts as a fetch of the token, which tells the order
     * that the CA is validating (it may then stop waiting early).
     *
     * @param path the request path, e.g. {@code /.well-known/acme-challenge/abc}
     * @return the body to answer with {@code 200 text/plain}, or empty for a 404
     */
    public Optional<String> respond(String path) {
        if (path == null || !path.startsWith(PATH_PREFIX)) {
            return Optional.empty();
        }
        String token = path.substring(PATH_PREFIX.length());
        ServedToken own = responses.get(token);
        if (own != null) {
            return Optional.of(own.fetched());
        }
        if (tokenSources.isEmpty() || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        for (TokenSource source : tokenSources) {
            Optional<String> answer = source.keyAuthorization(token);
            if (answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    /**
     * Also answers tokens this responder did not present, from {@code source}, after its own: tokens
     * presented by another replica. Whatever serves this responder (its standalone server,
     * {@link #respond(String)}, {@link JdkHttp01Handler}) answers them.
     *
     * @param source where to look; asked only for well-formed tokens this responder does not hold
     */
    public void addTokenSource(TokenSource source) {
        tokenSources.addIfAbsent(requireNonNull(source, "source"));
    }

    /**
     * @param source a source added before
     * @return whether it was added, and is now removed
     */
    public boolean removeTokenSource(TokenSource source) {
        return tokenSources.remove(source);
    }

    /** @return how many challenges are being served right now (0 when none is in progress) */
    public int pendingChallenges() {
        return responses.size();
    }

    /**
     * Starts the standalone server now, to fail early when the port is taken; does nothing when
     * it runs already or when the solver is mounted.
     *
     * @throws IOException when the address cannot be bound
     */
    public synchronized void start() throws IOException {
        if (bindAddress == null || server != null) {
            return;
        }
        server = ChallengeResponder.start(bindAddress, this::respond, ResponderLimits.DEFAULT);
        LOG.info("HTTP-01 responder listening on {}", server.address());
    }

    /** @return the bound address of the standalone server, when it runs */
    public synchronized Optional<InetSocketAddress> address() {
        return server == null ? Optional.empty() : Optional.of(server.address());
    }

    /** Stops the standalone server, if it runs; pending challenges are dropped. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        responses.clear();
    }

    @Override
    public String toString() {
        return "Http01Solver[" + (bindAddress == null ? "mounted" : "standalone " + bindAddress) + "]";
    }

    /** Builds an {@link Http01Solver}. Not thread-safe. */
    public static final class Builder {
        private InetSocketAddress address;
        private boolean chosen;

        private Builder() {
        }

        private void choose() {
            if (chosen) {
                throw new IllegalStateException("standalone(...) or mounted() was already chosen: choose one");
            }
            chosen = true;
        }

        /**
         * @param address where the standalone responder listens; the CA connects to port 80, so
         *     this is port 80 or a port that traffic for port 80 is forwarded to
         * @return this builder
         */
        public Builder standalone(InetSocketAddress address) {
            choose();
            requireNonNull(address, "address");
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("standalone address " + address + " does not resolve: use an IP address such as 0.0.0.0 or 127.0.0.1");
            }
            this.address = address;
            return this;
        }

        /**
         * @param host the address to listen on, e.g. {@code 0.0.0.0}
         * @param port the port, 1 to 65535
         * @return this builder
         */
        public Builder standalone(String host, int port) {
            requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("standalone port " + port + " is out of range: use 1 to 65535 (80 in production)");
            }
            return standalone(new InetSocketAddress(host, port));
        }

        /** @return this builder, for a responder served by the host's own HTTP server */
        public Builder mounted() {
            choose();
            return this;
        }

        /**
         * @return the solver
         * @throws IllegalStateException when neither standalone nor mounted was chosen
         */
        public Http01Solver build() {
            if (!chosen) {
                throw new IllegalStateException("Http01Solver needs standalone(host, port) or mounted(): choose where the responder runs");
            }
            return new Http01Solver(address);
        }
    }
}
