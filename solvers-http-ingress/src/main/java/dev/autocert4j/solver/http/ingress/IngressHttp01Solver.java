package dev.autocert4j.solver.http.ingress;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.Http01Solver;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
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
 * success and after failure. After a crash, the manager's {@code cleanUpLeftovers()} hands the
 * {@linkplain Presentation#cleanupHandle() cleanup handle} to {@link #cleanUp(String)}, and
 * {@link #sweep()} removes everything of this solver's that is left in its namespace.
 *
 * <p>Several replicas: the key authorization is also written to an annotation of the Ingress
 * ({@value #KEY_AUTHORIZATION_PREFIX}{@code <hash of the token>}; it is public anyway: the CA reads
 * it over plain HTTP), so the replica the Service picks answers even when another replica ordered.
 *
 * <p>Before the CA is asked to look, a self-check GETs the challenge URL through the ingress
 * controller until it answers the key authorization; clusters that cannot reach themselves (NAT
 * hairpin) set {@link Builder#fixedWait(Duration)} instead. Wildcard names and IP addresses are not
 * solved: HTTP-01 cannot prove a wildcard, and an Ingress host cannot be an IP address.
 */
public final class IngressHttp01Solver implements Solver {
    private static final Logger LOG = LoggerFactory.getLogger(IngressHttp01Solver.class);
    /** The label on every temporary Ingress of this solver. */
    public static final String SOLVER_LABEL = "autocert4j.dev/http01-solver";
    /** The label cert-manager puts on its solver Ingresses; set too, so existing tooling recognises them. */
    public static final String CERT_MANAGER_SOLVER_LABEL = "acme.cert-manager.io/http01-solver";
    /** The annotation prefix holding key authorizations, by token hash. */
    public static final String KEY_AUTHORIZATION_PREFIX = "autocert4j.dev/http01-";
    /** The annotation that names an Ingress's class for older controllers. */
    public static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final int MAX_ATTEMPTS = 20;
    /** At most this many API lookups per second for tokens not presented here: requests for made-up tokens must not flood the API server. */
    static final int LOOKUPS_PER_SECOND = 10;

    /** How the route is made. */
    enum Mode {
        NAME, CLASS, INGRESS_CLASS_NAME
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String serviceName;
    private final int servicePort;
    private final Mode mode;
    private final String modeValue;
    private final Map<String, String> labels;
    private final Map<String, String> annotations;
    private final Http01Solver responder;
    private final Duration selfCheckTimeout;
    private final InetSocketAddress selfCheckAddress;
    private final Duration fixedWait;
    private final Object lookupBudgetLock = new Object();
    private long lookupWindowStart;
    private int lookupsInWindow;

    private IngressHttp01Solver(Builder b) {
        this.client = b.client;
        this.namespace = b.namespace;
        this.serviceName = b.serviceName;
        this.servicePort = b.servicePort;
        this.mode = b.mode;
        this.modeValue = b.modeValue;
        this.labels = Map.copyOf(b.labels);
        this.annotations = Map.copyOf(b.annotations);
        this.responder = b.responder == null ? Http01Solver.builder().mounted().build() : b.responder;
        this.selfCheckTimeout = b.selfCheckTimeout;
        this.selfCheckAddress = b.selfCheckAddress;
        this.fixedWait = b.fixedWait;
    }

    /**
     * @param client the Kubernetes client (needs get/list/create/update/delete on Ingresses in the namespace)
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

    @Override
    public Presentation present(ChallengeRequest challenge) throws SolverException {
        requireNonNull(challenge, "challenge");
        if (!canSolve(challenge.identifier())) {
            throw new SolverException("The Ingress HTTP-01 solver cannot prove " + challenge.identifier()
                    + ": use DNS-01 for wildcards, and HTTP-01 without an Ingress for IP addresses", false, null);
        }
        if (!TOKEN.matcher(challenge.token()).matches()) {
            throw new SolverException("The CA sent a challenge token that is not base64url; refusing to route it", false, null);
        }
        String host = challenge.identifier().value();
        Presentation local = responder.present(challenge);
        Route route = new Route(mode, namespace, mode == Mode.NAME ? modeValue : temporaryName(host, challenge.token()), host,
                challenge.token());
        try {
            addRoute(route, challenge.keyAuthorization());
        } catch (SolverException | RuntimeException e) {
            local.close();
            removeQuietly(route);
            throw e;
        }
        LOG.info("Routing {}{} of {} through Ingress {}/{} to Service {}:{}", Http01Solver.PATH_PREFIX, challenge.token(), host,
                namespace, route.ingress(), serviceName, servicePort);
        return new Presentation() {
            @Override
            public void awaitVisible(Instant deadline) throws SolverException, InterruptedException {
                IngressHttp01Solver.this.awaitVisible(host, challenge, deadline);
            }

            @Override
            public Optional<String> cleanupHandle() {
                return Optional.of(route.handle());
            }

            @Override
            public void close() throws SolverException {
                try {
                    removeRoute(route);
                } finally {
                    local.close();
                }
            }
        };
    }

    /**
     * Removes the route a crashed process left, as its handle names; nothing when it is gone already.
     *
     * @param handle a handle from {@link Presentation#cleanupHandle()}
     * @throws SolverException when the API server refuses
     */
    @Override
    public void cleanUp(String handle) throws SolverException {
        removeRoute(Route.parse(handle));
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
        int removed = 0;
        try {
            for (Ingress ingress : ingresses().withLabel(SOLVER_LABEL, "true").list().getItems()) {
                if (!ingresses().withName(ingress.getMetadata().getName()).delete().isEmpty()) {
                    removed++;
                }
            }
        } catch (KubernetesClientException e) {
            throw apiFailure("listing the solver's Ingresses", e);
        }
        if (mode == Mode.NAME) {
            int[] rules = new int[1];
            editExisting(modeValue, ingress -> {
                rules[0] = 0;
                List<IngressRule> kept = new ArrayList<>();
                for (IngressRule rule : rulesOf(ingress)) {
                    if (isOurChallengeRule(rule)) {
                        rules[0]++;
                    } else {
                        kept.add(rule);
                    }
                }
                Map<String, String> kept2 = new LinkedHashMap<>(annotationsOf(ingress));
                kept2.keySet().removeIf(k -> k.startsWith(KEY_AUTHORIZATION_PREFIX));
                return new IngressBuilder(ingress).editMetadata().withAnnotations(kept2).endMetadata()
                        .editSpec().withRules(kept).endSpec().build();
            }, false);
            removed += rules[0];
        }
        return removed;
    }

    /**
     * The responder for servers other than the JDK's: what to answer for a request path. Tokens
     * presented in this process come from memory; others (presented by another replica) from the
     * Ingress annotations.
     *
     * @param path the request path, e.g. {@code /.well-known/acme-challenge/abc}
     * @return the body to answer with {@code 200 text/plain}, or empty for a 404
     */
    public Optional<String> respond(String path) {
        Optional<String> local = responder.respond(path);
        if (local.isPresent() || path == null || !path.startsWith(Http01Solver.PATH_PREFIX)) {
            return local;
        }
        String token = path.substring(Http01Solver.PATH_PREFIX.length());
        if (!TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        if (!takeLookupBudget()) {
            LOG.debug("Not looking up HTTP-01 token {}: more than {} unknown tokens asked for this second", token,
                    LOOKUPS_PER_SECOND);
            return Optional.empty();
        }
        String key = KEY_AUTHORIZATION_PREFIX + tokenHash(token);
        try {
            List<Ingress> candidates = new ArrayList<>(ingresses().withLabel(SOLVER_LABEL, "true").list().getItems());
            if (mode == Mode.NAME) {
                Ingress existing = ingresses().withName(modeValue).get();
                if (existing != null) {
                    candidates.add(existing);
                }
            }
            for (Ingress ingress : candidates) {
                String value = annotationsOf(ingress).get(key);
                if (value != null && value.startsWith(token + ".")) {
                    return Optional.of(value);
                }
            }
        } catch (KubernetesClientException e) {
            LOG.warn("Cannot look up HTTP-01 token {} in the Ingresses of {}: HTTP {}", token, namespace, e.getCode());
        }
        return Optional.empty();
    }

    private boolean takeLookupBudget() {
        long now = System.nanoTime();
        synchronized (lookupBudgetLock) {
            if (now - lookupWindowStart >= 1_000_000_000L) {
                lookupWindowStart = now;
                lookupsInWindow = 0;
            }
            return ++lookupsInWindow <= LOOKUPS_PER_SECOND;
        }
    }

    /** @return a handler for {@code /.well-known/acme-challenge/} to mount into a JDK {@code HttpServer} on the Service's target port */
    public HttpHandler handler() {
        return this::handle;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<String> body = "GET".equals(exchange.getRequestMethod())
                    ? respond(exchange.getRequestURI().getPath()) : Optional.empty();
            byte[] bytes = body.orElse("not found\n").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(body.isPresent() ? 200 : 404, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    // ---------------------------------------------------------------------------------- routes

    /** What one presentation routed: enough to remove it from another process. */
    record Route(Mode mode, String namespace, String ingress, String host, String token) {
        String handle() {
            return String.join("|", "v1", mode.name(), namespace, ingress, host, token);
        }

        static Route parse(String handle) throws SolverException {
            String[] p = requireNonNull(handle, "handle").split("\\|");
            if (p.length != 6 || !p[0].equals("v1")) {
                throw new SolverException("Not a cleanup handle of the Ingress HTTP-01 solver: " + handle, false, null);
            }
            try {
                return new Route(Mode.valueOf(p[1]), p[2], p[3], p[4], p[5]);
            } catch (IllegalArgumentException e) {
                throw new SolverException("Not a cleanup handle of the Ingress HTTP-01 solver: " + handle, false, e);
            }
        }

        String path() {
            return Http01Solver.PATH_PREFIX + token;
        }
    }

    private void addRoute(Route route, String keyAuthorization) throws SolverException {
        String annotation = KEY_AUTHORIZATION_PREFIX + tokenHash(route.token());
        if (route.mode() == Mode.NAME) {
            editExisting(route.ingress(), ingress -> {
                List<IngressRule> rules = new ArrayList<>(rulesOf(ingress));
                rules.add(challengeRule(route));
                Map<String, String> a = new LinkedHashMap<>(annotationsOf(ingress));
                a.put(annotation, keyAuthorization);
                return new IngressBuilder(ingress).editMetadata().withAnnotations(a).endMetadata()
                        .editOrNewSpec().withRules(rules).endSpec().build();
            }, true);
            return;
        }
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put(SOLVER_LABEL, "true");
        l.put(CERT_MANAGER_SOLVER_LABEL, "true");
        Map<String, String> a = new LinkedHashMap<>(annotations);
        a.put(annotation, keyAuthorization);
        if (route.mode() == Mode.CLASS) {
            a.put(CLASS_ANNOTATION, modeValue);
        }
        IngressBuilder b = new IngressBuilder().withNewMetadata().withName(route.ingress()).withNamespace(route.namespace())
                .withLabels(l).withAnnotations(a).endMetadata()
                .withNewSpec().withRules(challengeRule(route)).endSpec();
        if (route.mode() == Mode.INGRESS_CLASS_NAME) {
            b.editSpec().withIngressClassName(modeValue).endSpec();
        }
        try {
            client.network().v1().ingresses().inNamespace(route.namespace()).resource(b.build()).create();
        } catch (KubernetesClientException e) {
            throw apiFailure("creating Ingress " + route.namespace() + "/" + route.ingress(), e);
        }
    }

    private void removeRoute(Route route) throws SolverException {
        if (route.mode() != Mode.NAME) {
            try {
                client.network().v1().ingresses().inNamespace(route.namespace()).withName(route.ingress()).delete();
                LOG.debug("Deleted the temporary Ingress {}/{}", route.namespace(), route.ingress());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw apiFailure("deleting Ingress " + route.namespace() + "/" + route.ingress(), e);
                }
            }
            return;
        }
        String annotation = KEY_AUTHORIZATION_PREFIX + tokenHash(route.token());
        editExisting(route.namespace(), route.ingress(), ingress -> {
            List<IngressRule> kept = new ArrayList<>();
            for (IngressRule rule : rulesOf(ingress)) {
                IngressRule stripped = withoutPath(rule, route);
                if (stripped != null) {
                    kept.add(stripped);
                }
            }
            Map<String, String> a = new LinkedHashMap<>(annotationsOf(ingress));
            a.remove(annotation);
            return new IngressBuilder(ingress).editMetadata().withAnnotations(a).endMetadata()
                    .editSpec().withRules(kept).endSpec().build();
        }, false);
    }

    private void removeQuietly(Route route) {
        try {
            removeRoute(route);
        } catch (SolverException | RuntimeException e) {
            LOG.warn("Could not remove the route of a failed presentation from Ingress {}/{}: {}", route.namespace(),
                    route.ingress(), e.getMessage());
        }
    }

    /** The rule without this route's path; null when nothing else is left in it. */
    private IngressRule withoutPath(IngressRule rule, Route route) {
        if (!route.host().equals(rule.getHost()) || rule.getHttp() == null || rule.getHttp().getPaths() == null) {
            return rule;
        }
        List<HTTPIngressPath> paths = new ArrayList<>();
        for (HTTPIngressPath p : rule.getHttp().getPaths()) {
            if (!route.path().equals(p.getPath())) {
                paths.add(p);
            }
        }
        if (paths.isEmpty()) {
            return null;
        }
        return new IngressRuleBuilder(rule).editHttp().withPaths(paths).endHttp().build();
    }

    private boolean isOurChallengeRule(IngressRule rule) {
        if (rule.getHttp() == null || rule.getHttp().getPaths() == null || rule.getHttp().getPaths().size() != 1) {
            return false;
        }
        HTTPIngressPath p = rule.getHttp().getPaths().get(0);
        return p.getPath() != null && p.getPath().startsWith(Http01Solver.PATH_PREFIX) && p.getBackend() != null
                && p.getBackend().getService() != null && serviceName.equals(p.getBackend().getService().getName());
    }

    private IngressRule challengeRule(Route route) {
        HTTPIngressPath path = new HTTPIngressPathBuilder().withPath(route.path()).withPathType("Exact")
                .withNewBackend().withNewService().withName(serviceName).withNewPort().withNumber(servicePort).endPort()
                .endService().endBackend().build();
        return new IngressRuleBuilder().withHost(route.host()).withNewHttp().withPaths(path).endHttp().build();
    }

    private void editExisting(String name, UnaryOperator<Ingress> change, boolean mustExist) throws SolverException {
        editExisting(namespace, name, change, mustExist);
    }

    /** Read, change, write with the resourceVersion read; a 409 (someone else wrote) re-reads and retries. */
    private void editExisting(String ns, String name, UnaryOperator<Ingress> change, boolean mustExist) throws SolverException {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Ingress current;
            try {
                current = client.network().v1().ingresses().inNamespace(ns).withName(name).get();
            } catch (KubernetesClientException e) {
                throw apiFailure("reading Ingress " + ns + "/" + name, e);
            }
            if (current == null) {
                if (mustExist) {
                    throw new SolverException("Ingress " + ns + "/" + name + " does not exist: create it, or name an existing "
                            + "Ingress in existingIngress(...), or use ingressClass(...) for a temporary one", false, null);
                }
                return;
            }
            try {
                client.network().v1().ingresses().inNamespace(ns).resource(change.apply(current)).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw apiFailure("updating Ingress " + ns + "/" + name, e);
                }
                LOG.debug("Ingress {}/{} changed while we edited it; retrying", ns, name);
            }
        }
        throw new SolverException("Ingress " + ns + "/" + name + " kept changing; gave up after " + MAX_ATTEMPTS + " attempts",
                true, null);
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Ingress, io.fabric8.kubernetes.api.model.networking.v1.IngressList,
            io.fabric8.kubernetes.client.dsl.Resource<Ingress>> ingresses() {
        return client.network().v1().ingresses().inNamespace(namespace);
    }

    private static List<IngressRule> rulesOf(Ingress ingress) {
        return ingress.getSpec() == null || ingress.getSpec().getRules() == null ? List.of() : ingress.getSpec().getRules();
    }

    private static Map<String, String> annotationsOf(Ingress ingress) {
        Map<String, String> a = ingress.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    private static SolverException apiFailure(String what, KubernetesClientException e) {
        String hint = e.getCode() == 403 ? ": the application's ServiceAccount needs get, list, create, update and delete "
                + "on networking.k8s.io ingresses in this namespace" : "";
        return new SolverException("Kubernetes refused " + what + " (HTTP " + e.getCode() + ")" + hint, e.getCode() >= 500
                || e.getCode() == 409 || e.getCode() == 429 || e.getCode() == 0, e);
    }

    /** {@code autocert4j-http01-<hash>}: one temporary Ingress per host and token, a valid object name. */
    static String temporaryName(String host, String token) {
        return "autocert4j-http01-" + tokenHash(host + "/" + token).substring(0, 12);
    }

    private static String tokenHash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    // ---------------------------------------------------------------------------------- self-check

    private void awaitVisible(String host, ChallengeRequest challenge, Instant deadline)
            throws SolverException, InterruptedException {
        if (fixedWait != null) {
            long millis = Math.min(fixedWait.toMillis(), Math.max(0, Duration.between(Instant.now(), deadline).toMillis()));
            Thread.sleep(millis);
            return;
        }
        Instant until = Instant.now().plus(selfCheckTimeout);
        if (until.isAfter(deadline)) {
            until = deadline;
        }
        InetSocketAddress address = selfCheckAddress == null ? new InetSocketAddress(host, 80) : selfCheckAddress;
        String path = Http01Solver.PATH_PREFIX + challenge.token();
        long pause = 20;
        SelfCheck.Answer last;
        while (true) {
            last = SelfCheck.get(address, host, path, Duration.ofSeconds(5));
            if (last.status() == 200 && last.body().equals(challenge.keyAuthorization())) {
                return;
            }
            if (!Instant.now().plusMillis(pause).isBefore(until)) {
                break;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
        throw new SolverException("Self-check failed: GET http://" + host + path + " through " + address.getHostString() + ":"
                + address.getPort() + " answered " + last + " instead of the key authorization. Check that the ingress "
                + "controller serves " + describeMode() + " and routes to Service " + namespace + "/" + serviceName + ":"
                + servicePort + ", whose pods must answer with this solver's handler(); a cluster that cannot reach "
                + "itself needs fixedWait(...) instead", true, null);
    }

    private String describeMode() {
        return switch (mode) {
            case NAME -> "Ingress " + namespace + "/" + modeValue;
            case CLASS -> "Ingresses annotated " + CLASS_ANNOTATION + "=" + modeValue;
            case INGRESS_CLASS_NAME -> "Ingresses of ingressClassName " + modeValue;
        };
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
        private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
        private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
        private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private void once(String field) {
            if (!set.add(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
        }
        private final KubernetesClient client;
        private String namespace;
        private String serviceName;
        private int servicePort;
        private Mode mode;
        private String modeValue;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private Http01Solver responder;
        private Duration selfCheckTimeout = Duration.ofMinutes(2);
        private InetSocketAddress selfCheckAddress;
        private Duration fixedWait;

        private Builder(KubernetesClient client) {
            this.client = requireNonNull(client, "client");
        }

        private static String objectName(String field, String value) {
            requireNonNull(value, field);
            if (!NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(field + " \"" + value + "\" is not a Kubernetes object name: use lower case "
                        + "letters, digits, '-' and '.', starting and ending with a letter or digit");
            }
            return value;
        }

        /**
         * @param namespace where the Service is and the Ingresses are made: the application's namespace
         * @return this builder
         */
        public Builder namespace(String namespace) {
            if (this.namespace != null) {
                throw new IllegalStateException("namespace was already set on this builder: set it once");
            }
            this.namespace = objectName("namespace", namespace);
            return this;
        }

        /**
         * @param name the Service whose pods answer the challenge with {@link IngressHttp01Solver#handler()}
         * @param port the Service port
         * @return this builder
         */
        public Builder service(String name, int port) {
            if (serviceName != null) {
                throw new IllegalStateException("service was already set on this builder: set it once");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("service port must be within 1..65535, was " + port);
            }
            this.serviceName = objectName("service name", name);
            this.servicePort = port;
            return this;
        }

        private Builder mode(Mode m, String field, String value) {
            if (mode != null) {
                throw new IllegalStateException("existingIngress, ingressClass and ingressClassName exclude each other, and "
                        + mode.name().toLowerCase(java.util.Locale.ROOT) + " was set already: choose one");
            }
            this.mode = m;
            this.modeValue = objectName(field, value);
            return this;
        }

        /**
         * cert-manager's {@code ingress.name}: add the challenge rule to this existing Ingress.
         *
         * @param name the Ingress's name
         * @return this builder
         */
        public Builder existingIngress(String name) {
            return mode(Mode.NAME, "existingIngress", name);
        }

        /**
         * cert-manager's {@code ingress.class}: a temporary Ingress annotated {@code kubernetes.io/ingress.class}.
         *
         * @param ingressClass the class, {@code nginx} say
         * @return this builder
         */
        public Builder ingressClass(String ingressClass) {
            return mode(Mode.CLASS, "ingressClass", ingressClass);
        }

        /**
         * cert-manager's {@code ingress.ingressClassName}: a temporary Ingress with {@code spec.ingressClassName}.
         *
         * @param className the IngressClass's name
         * @return this builder
         */
        public Builder ingressClassName(String className) {
            return mode(Mode.INGRESS_CLASS_NAME, "ingressClassName", className);
        }

        /**
         * @param labels labels for temporary Ingresses (cert-manager's {@code ingressTemplate.metadata.labels})
         * @return this builder
         */
        public Builder labels(Map<String, String> labels) {
            requireNonNull(labels, "labels").forEach((key, value) -> {
                qualifiedName("label key", key);
                if (value == null || !LABEL_VALUE.matcher(value).matches()) {
                    throw new IllegalArgumentException("label " + key + " has the value \"" + value + "\", which Kubernetes "
                            + "refuses: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
                }
            });
            this.labels.putAll(labels);
            return this;
        }

        /** A Kubernetes label or annotation key: {@code [prefix/]name}. */
        private static void qualifiedName(String field, String key) {
            requireNonNull(key, field);
            int slash = key.indexOf('/');
            String prefix = slash < 0 ? null : key.substring(0, slash);
            String name = slash < 0 ? key : key.substring(slash + 1);
            if ((prefix != null && (prefix.length() > 253 || !NAME.matcher(prefix).matches()))
                    || !QUALIFIED_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(field + " \"" + key + "\" is not a Kubernetes key: an optional DNS prefix "
                        + "and '/', then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
            }
        }

        /**
         * @param annotations annotations for temporary Ingresses (cert-manager's {@code ingressTemplate.metadata.annotations})
         * @return this builder
         */
        public Builder annotations(Map<String, String> annotations) {
            requireNonNull(annotations, "annotations").forEach((key, value) -> {
                qualifiedName("annotation key", key);
                requireNonNull(value, "annotation " + key);
            });
            this.annotations.putAll(annotations);
            return this;
        }

        /**
         * @param responder an HTTP-01 responder the application serves already (standalone or
         *     mounted); a mounted one of its own, answered by {@link IngressHttp01Solver#handler()}, if unset
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
