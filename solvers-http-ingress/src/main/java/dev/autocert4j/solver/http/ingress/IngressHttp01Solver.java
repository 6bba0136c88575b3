package dev.autocert4j.solver.http.ingress;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpHandler;
import dev.autocert4j.Identifier;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.IntentJournal;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.solver.http.ingress.internal.ChallengeHandler;
import dev.autocert4j.solver.http.ingress.internal.IngressTemplate;
import dev.autocert4j.solver.http.ingress.internal.IngressTokenCache;
import dev.autocert4j.solver.http.ingress.internal.KubernetesNames;
import dev.autocert4j.solver.http.ingress.internal.Route;
import dev.autocert4j.solver.http.ingress.internal.RouteMode;
import dev.autocert4j.solver.http.ingress.internal.RoutedPresentation;
import dev.autocert4j.solver.http.ingress.internal.Routes;
import dev.autocert4j.solver.http.ingress.internal.VisibilityCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP-01 through a Kubernetes Ingress, as cert-manager's {@code http01.ingress}, but without a
 * solver pod: the challenge path {@code /.well-known/acme-challenge/<token>} of the challenged host
 * is routed to a Service the application names, whose pods answer with {@link #handler()} (or
 * {@link #respond(String)} on servers other than the JDK's).
 *
 * <p>Three modes, as cert-manager's:
 * <ul>
 *   <li>{@link Builder#existingIngress(String) name}: a rule for the host and the exact challenge
 *       path is added to an existing Ingress (read, changed, written with its resourceVersion;
 *       retried on 409) and removed afterwards, leaving every other rule alone;
 *   <li>{@link Builder#ingressClass(String) class}: a temporary Ingress with the annotation
 *       {@code kubernetes.io/ingress.class};
 *   <li>{@link Builder#ingressClassName(String) ingressClassName}: a temporary Ingress with
 *       {@code spec.ingressClassName}.
 * </ul>
 * Temporary Ingresses carry the labels {@code acme.cert-manager.io/http01-solver: "true"} and
 * {@value #SOLVER_LABEL}{@code : "true"} plus the configured template, and are deleted after
 * success and after failure. Each route's handle is journalled as an intent <em>before</em> the route
 * is made; after a crash, the manager's {@code cleanUpLeftovers()} hands it to {@link #cleanUp(String)},
 * which removes the route if it exists and only what this solver could have made (its namespace, its
 * existing Ingress or a labelled temporary Ingress of its name scheme; a forged handle is logged and
 * dropped). A route no journal names (a store without a journal) is found by label and challenge
 * path: on first use and at most once a minute after, the solver removes its routes presented longer
 * than {@link Builder#leftoverAge(Duration) leftoverAge} ago. {@link #sweep()} removes all of them
 * at once.
 *
 * <p>Several replicas: the key authorization is also written to an annotation of the Ingress
 * ({@value #KEY_AUTHORIZATION_PREFIX}{@code <hash of the token>}; it is public anyway: the CA reads
 * it over plain HTTP), so the replica the Service picks answers even when another replica ordered.
 * Each replica answers from a watch of the solver's Ingresses, started by {@link #handler()} or the
 * first {@link #respond(String)} (by {@code build()} when the application's own
 * {@link Builder#responder(Http01Solver) responder} is given: that responder then answers other
 * replicas' tokens too) and stopped by {@link #close()}: a request costs no API call.
 *
 * <p>Before the CA is asked to look, a self-check GETs the challenge URL through the ingress
 * controller until it answers the key authorization; clusters that cannot reach themselves (NAT
 * hairpin) set {@link Builder#fixedWait(Duration)} instead. The self-check does not follow redirects:
 * a controller that redirects the challenge to HTTPS fails it with a message that says so (Let's
 * Encrypt would follow to port 443; exempt {@code /.well-known/acme-challenge/} from the redirect, as
 * ingress-nginx does by default, or set {@code fixedWait}). Wildcard names and IP addresses are not
 * solved: HTTP-01 cannot prove a wildcard, and an Ingress host cannot be an IP address.
 */
public final class IngressHttp01Solver implements Solver, AutoCloseable, Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(IngressHttp01Solver.class);
    /** The label on every temporary Ingress of this solver. */
    public static final String SOLVER_LABEL = "autocert4j.dev/http01-solver";
    /** The label cert-manager puts on its solver Ingresses; set too, so existing tooling recognises them. */
    public static final String CERT_MANAGER_SOLVER_LABEL = "acme.cert-manager.io/http01-solver";
    /** The annotation prefix holding key authorizations, by token hash. */
    public static final String KEY_AUTHORIZATION_PREFIX = "autocert4j.dev/http01-";
    /** The annotation that names an Ingress's class for older controllers. */
    public static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private final String namespace;
    private final String serviceName;
    private final int servicePort;
    private final RouteMode mode;
    private final String modeValue;
    private final Http01Solver responder;
    private final boolean ownResponder;
    private final Routes routes;
    private final IngressTokenCache tokens;
    private final Http01Solver.TokenSource otherReplicas;
    private final VisibilityCheck visibility;

    private IngressHttp01Solver(Builder b) {
        this.namespace = b.namespace;
        this.serviceName = b.serviceName;
        this.servicePort = b.servicePort;
        this.mode = b.mode;
        this.modeValue = b.modeValue;
        this.ownResponder = b.responder == null;
        this.responder = ownResponder ? Http01Solver.builder().mounted().build() : b.responder;
        this.routes = new Routes(b.client, namespace, mode, modeValue, b.template.labels(), b.template.annotations(), serviceName, servicePort,
                b.clock, b.leftoverAge);
        this.tokens = new IngressTokenCache(b.client, namespace, mode == RouteMode.NAME ? modeValue : null);
        this.otherReplicas = token -> Route.isToken(token) ? tokens.find(token) : Optional.empty();
        responder.addTokenSource(otherReplicas);
        if (!ownResponder) {
            tokens.start(); // the application serves its responder already: answer other replicas from now on
        }
        this.visibility = new VisibilityCheck(b.selfCheckTimeout, b.selfCheckAddress, b.fixedWait, describeMode(),
                namespace + "/" + serviceName + ":" + servicePort);
    }

    /**
     * @param client the Kubernetes client (needs get/list/watch/create/update/delete on Ingresses in the namespace)
     * @return a builder; set the namespace, the Service and one of the three modes
     */
    public static Builder builder(KubernetesClient client) {
        return new Builder(client);
    }

    @Override
    public ChallengeType challengeType() {
        return ChallengeType.HTTP_01;
    }

    /** DNS names only: not wildcards (HTTP-01 cannot prove them), not IP addresses (no Ingress host). */
    @Override
    public boolean canSolve(Identifier identifier) {
        return identifier.type() == Identifier.Type.DNS && !identifier.isWildcard();
    }

    /** @return {@code http-01/ingress/<namespace>}: stable across restarts, so leftovers find their solver */
    @Override
    public String solverId() {
        return "http-01/ingress/" + namespace;
    }

    /** Before an order: the Ingress verbs are allowed (SelfSubjectAccessReview), the existing Ingress exists, the port free. */
    @Override
    public void preflight(PreflightRequest request) throws PreflightException {
        routes.preflight();
        responder.preflight(request);
    }

    /** Presents without a journal: {@link #present(ChallengeRequest, IntentJournal)} with {@link IntentJournal#NONE}. */
    @Override
    public Presentation present(ChallengeRequest challenge) throws SolverException {
        return present(challenge, IntentJournal.NONE);
    }

    /**
     * Routes the challenge path to the Service. The route's handle is recorded in {@code intents}
     * before the rule or temporary Ingress is made, so a process killed at any instant leaves a
     * journal entry from which {@link #cleanUp(String)} removes it (or finds nothing to remove).
     */
    @Override
    public Presentation present(ChallengeRequest challenge, IntentJournal intents) throws SolverException {
        requireNonNull(challenge, "challenge");
        requireNonNull(intents, "intents");
        if (!canSolve(challenge.identifier())) {
            throw new SolverException("The Ingress HTTP-01 solver cannot prove " + challenge.identifier()
                    + ": use DNS-01 for wildcards, and HTTP-01 without an Ingress for IP addresses", false, null);
        }
        if (!Route.isToken(challenge.token())) {
            throw new SolverException("The CA sent a challenge token that is not base64url; refusing to route it", false, null);
        }
        String host = challenge.identifier().value();
        routes.sweepLeftoversIfDue();
        Route route = routes.routeFor(host, challenge.token());
        intents.recordIntent(route.handle()); // throws: nothing made yet, so nothing to undo
        Presentation local = responder.present(challenge);
        try {
            routes.add(route, challenge.keyAuthorization());
        } catch (SolverException | RuntimeException e) {
            local.close();
            routes.removeQuietly(route);
            throw e;
        }
        LOG.info("Routing {}{} of {} through Ingress {}/{} to Service {}:{}", Http01Solver.PATH_PREFIX, challenge.token(), host,
                namespace, route.ingress(), serviceName, servicePort);
        return RoutedPresentation.of(challenge, route, routes, local, visibility);
    }

    /**
     * Removes the route a crashed process left, as its handle names; nothing when it is gone
     * already. A handle that names anything this solver could not have made (another namespace,
     * another Ingress, an Ingress without the solver's label) is logged and dropped: whoever can
     * write the journal must not be able to make the solver delete other Ingresses. Also removes
     * the leftovers no handle names, as on {@linkplain IngressHttp01Solver first use}.
     *
     * @param handle a handle from {@link Presentation#cleanupHandle()}
     * @throws SolverException when the API server refuses
     */
    @Override
    public void cleanUp(String handle) throws SolverException {
        routes.cleanUp(handle, solverId());
    }

    /**
     * Removes every temporary Ingress of this solver in its namespace, and in the
     * {@linkplain Builder#existingIngress existing Ingress} every challenge rule that routes to this
     * solver's Service: for a start-up after a crash that left no journal.
     *
     * @return how many Ingresses and rules were removed
     * @throws SolverException when the API server refuses
     */
    public int sweep() throws SolverException {
        return routes.sweepAll();
    }

    /**
     * The responder for servers other than the JDK's: what to answer for a request path. Tokens
     * presented in this process come from memory; others (presented by another replica) from the
     * Ingress annotations, as a watch of the solver's Ingresses (started by the first call) has them:
     * no request, known token or not, costs an API call.
     *
     * @param path the request path, e.g. {@code /.well-known/acme-challenge/abc}
     * @return the body to answer with {@code 200 text/plain}, or empty for a 404
     */
    public Optional<String> respond(String path) {
        return responder.respond(path); // its own tokens, then other replicas' (the source added at build)
    }

    /**
     * Starts watching the solver's Ingresses, so that tokens presented by other replicas are
     * answered from the first request on.
     *
     * @return a handler for {@code /.well-known/acme-challenge/} to mount into a JDK {@code HttpServer} on the Service's target port
     */
    public HttpHandler handler() {
        tokens.start();
        return new ChallengeHandler(this::respond);
    }

    /**
     * Stops watching the Ingresses (tokens of other replicas are no longer answered) and, when the
     * solver made its own responder, forgets the tokens presented here. Call it when the
     * application stops; the Kubernetes client stays open.
     */
    @Override
    public void close() {
        responder.removeTokenSource(otherReplicas);
        tokens.close();
        if (ownResponder) {
            responder.close();
        }
    }

    /** @return whether the watch of the Ingresses is established, for tests */
    boolean watching() {
        return tokens.isWatching();
    }

    private String describeMode() {
        return mode.describe(namespace, modeValue);
    }

    @Override
    public String toString() {
        return "IngressHttp01Solver[" + describeMode() + " -> " + namespace + "/" + serviceName + ":" + servicePort + "]";
    }

    /**
     * Builds an {@link IngressHttp01Solver}. Each setter checks its argument at once and may be called
     * once; {@link #build()} checks the whole. Not thread-safe.
     */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();

        private void once(String field) {
            if (!set.add(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
        }
        private final KubernetesClient client;
        private String namespace;
        private String serviceName;
        private int servicePort;
        private RouteMode mode;
        private String modeValue;
        private final IngressTemplate template = new IngressTemplate();
        private Http01Solver responder;
        /** How long the self-check tries unless {@link #selfCheckTimeout} says otherwise; the README states it. */
        static final Duration DEFAULT_SELF_CHECK_TIMEOUT = Duration.ofMinutes(2);
        private Duration selfCheckTimeout = DEFAULT_SELF_CHECK_TIMEOUT;
        private InetSocketAddress selfCheckAddress;
        private Duration fixedWait;
        private Clock clock = Clock.systemUTC();
        private Duration leftoverAge = Duration.ofHours(1);

        private Builder(KubernetesClient client) {
            this.client = requireNonNull(client, "client");
        }

        /**
         * @param namespace where the Service is and the Ingresses are made: the application's namespace
         * @return this builder
         */
        public Builder namespace(String namespace) {
            once("namespace");
            this.namespace = KubernetesNames.objectName("namespace", namespace);
            return this;
        }

        /**
         * @param name the Service whose pods answer the challenge with {@link IngressHttp01Solver#handler()}
         * @param port the Service port
         * @return this builder
         */
        public Builder service(String name, int port) {
            once("service");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("service port must be within 1..65535, was " + port);
            }
            this.serviceName = KubernetesNames.objectName("service name", name);
            this.servicePort = port;
            return this;
        }

        private Builder mode(RouteMode m, String field, String value) {
            if (mode != null) {
                throw new IllegalStateException("existingIngress, ingressClass and ingressClassName exclude each other, and "
                        + mode.name().toLowerCase(Locale.ROOT) + " was set already: choose one");
            }
            this.mode = m;
            this.modeValue = KubernetesNames.objectName(field, value);
            return this;
        }

        /**
         * cert-manager's {@code ingress.name}: add the challenge rule to this existing Ingress.
         *
         * @param name the Ingress's name
         * @return this builder
         */
        public Builder existingIngress(String name) {
            return mode(RouteMode.NAME, "existingIngress", name);
        }

        /**
         * cert-manager's {@code ingress.class}: a temporary Ingress annotated {@code kubernetes.io/ingress.class}.
         *
         * @param ingressClass the class, {@code nginx} say
         * @return this builder
         */
        public Builder ingressClass(String ingressClass) {
            return mode(RouteMode.CLASS, "ingressClass", ingressClass);
        }

        /**
         * cert-manager's {@code ingress.ingressClassName}: a temporary Ingress with {@code spec.ingressClassName}.
         *
         * @param className the IngressClass's name
         * @return this builder
         */
        public Builder ingressClassName(String className) {
            return mode(RouteMode.INGRESS_CLASS_NAME, "ingressClassName", className);
        }

        /**
         * @param labels labels for temporary Ingresses (cert-manager's {@code ingressTemplate.metadata.labels})
         * @return this builder
         */
        public Builder labels(Map<String, String> labels) {
            template.addLabels(labels);
            return this;
        }

        /**
         * @param annotations annotations for temporary Ingresses (cert-manager's {@code ingressTemplate.metadata.annotations})
         * @return this builder
         */
        public Builder annotations(Map<String, String> annotations) {
            template.addAnnotations(annotations);
            return this;
        }

        /**
         * @param responder the HTTP-01 responder the application serves already (standalone, or mounted with
         *     {@code respond(path)} / {@code JdkHttp01Handler}): the one way to serve every mode. The solver teaches
         *     it the tokens other replicas present (from a watch of its Ingresses, started by {@code build()} and
         *     stopped by {@code close()}). Unset: a mounted one of its own, served by {@link IngressHttp01Solver#handler()}
         * @return this builder
         */
        public Builder responder(Http01Solver responder) {
            if (this.responder != null) {
                throw new IllegalStateException("responder was already set on this builder: set it once");
            }
            this.responder = requireNonNull(responder, "responder");
            return this;
        }

        /**
         * @param timeout how long the self-check waits for the challenge to answer through the Ingress (2 minutes if unset)
         * @return this builder
         */
        public Builder selfCheckTimeout(Duration timeout) {
            once("selfCheckTimeout");
            requireNonNull(timeout, "selfCheckTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("selfCheckTimeout must be positive, was " + timeout);
            }
            this.selfCheckTimeout = timeout;
            return this;
        }

        /**
         * @param address where the self-check connects (the ingress controller's address), sending
         *     the challenged host in {@code Host}; the challenged host on port 80 if unset
         * @return this builder
         */
        public Builder selfCheckAddress(InetSocketAddress address) {
            once("selfCheckAddress");
            this.selfCheckAddress = requireNonNull(address, "selfCheckAddress");
            return this;
        }

        /**
         * Waits this long instead of self-checking: for clusters that cannot reach their own
         * ingress (NAT hairpin).
         *
         * @param wait how long to wait before the CA is asked to look
         * @return this builder
         */
        public Builder fixedWait(Duration wait) {
            once("fixedWait");
            requireNonNull(wait, "fixedWait");
            if (wait.isNegative()) {
                throw new IllegalArgumentException("fixedWait must not be negative, was " + wait);
            }
            this.fixedWait = wait;
            return this;
        }

        /**
         * @param age how long ago a route of this solver must have been presented to count as the
         *     leftover of a dead process when no journal names it (1 hour if unset): longer than any
         *     order lives, or a live route of another replica is removed
         * @return this builder
         */
        public Builder leftoverAge(Duration age) {
            once("leftoverAge");
            requireNonNull(age, "leftoverAge");
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("leftoverAge must be positive, was " + age);
            }
            this.leftoverAge = age;
            return this;
        }

        /**
         * @param clock the time written on each route and by which leftovers are aged (the system
         *     clock if unset)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            once("clock");
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the solver
         * @throws IllegalStateException naming what is missing
         */
        public IngressHttp01Solver build() {
            if (namespace == null) {
                throw new IllegalStateException("IngressHttp01Solver needs namespace(...): the namespace of the Service");
            }
            if (serviceName == null) {
                throw new IllegalStateException("IngressHttp01Solver needs service(name, port): the Service whose pods answer "
                        + "the challenge");
            }
            if (mode == null) {
                throw new IllegalStateException("IngressHttp01Solver needs one of existingIngress(name), ingressClass(class) or "
                        + "ingressClassName(name), as cert-manager's http01.ingress");
            }
            if (fixedWait != null && selfCheckAddress != null) {
                throw new IllegalStateException("fixedWait and selfCheckAddress exclude each other: fixedWait skips the self-check");
            }
            return new IngressHttp01Solver(this);
        }
    }
}
