package dev.autocert4j.testing.kubernetes;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ingress controller for tests: serves HTTP on 127.0.0.1 and routes each request by the
 * Ingresses stored on a (mock) API server, as a real controller would, to backends mapped from
 * {@code namespace/service:port} to a local port.
 *
 * <ul>
 *   <li>Only Ingresses of its class: {@code spec.ingressClassName}, or the older annotation
 *       {@code kubernetes.io/ingress.class}, equal to the configured class.
 *   <li>Host: the rule's host equals the request's {@code Host} (without port), a wildcard rule
 *       {@code *.example.com} matches one label, a rule without host matches every host.
 *   <li>Path: {@code Exact} equals the path; {@code Prefix} (and {@code ImplementationSpecific})
 *       matches whole path elements; the longest match wins, {@code Exact} before {@code Prefix}.
 *   <li>The request is proxied to the backend's local port and its answer returned; 404 when no
 *       rule matches, 503 when the backend is not mapped.
 * </ul>
 *
 * <p>Ingresses are read from the API server at each request, so a rule is routed as soon as it is
 * stored: tests see exactly the Ingresses a solver wrote, with no informer lag. A real controller
 * routes from an informer's cache and reloads its proxy, so a change takes effect later: {@link
 * #informerLag(Duration)} makes it so here, each change routed that long after the API server stored it.
 *
 * <p>{@link #redirectToHttps(boolean)} answers every HTTP request with a 308 to the same URL on https, as
 * ingress-nginx does for a host with TLS ({@code ssl-redirect}, its default {@code http-redirect-code} 308),
 * optionally except {@code /.well-known/acme-challenge/} (ingress-nginx's default
 * {@code no-tls-redirect-locations}). It has no HTTPS listener: the redirect is all it answers.
 */
public final class IngressControllerEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngressControllerEmulator.class);
    /** The annotation older Ingresses name their class with. */
    public static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private final KubernetesClient client;
    private final String ingressClass;
    private final Map<String, Integer> backends = new ConcurrentHashMap<>();
    private final List<String> routed = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    /** The Ingresses as a lagging informer sees them (namespace/name → Ingress); used once a lag is set. */
    private final Map<String, Ingress> informed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService lagged = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ingress-emulator-informer");
        t.setDaemon(true);
        return t;
    });
    private volatile SharedIndexInformer<Ingress> informer;
    private volatile Redirect redirect = Redirect.NONE;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ingress-emulator");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts serving.
     *
     * @param client the API server's client
     * @param ingressClass the class it serves ({@code nginx}, say)
     * @param port the port to listen on, 0 for a free one
     */
    public IngressControllerEmulator(KubernetesClient client, String ingressClass, int port) {
        this.client = requireNonNull(client, "client");
        this.ingressClass = requireNonNull(ingressClass, "ingressClass");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Routes a Service port to a local port, as kube-proxy would.
     *
     * @param namespace the Service's namespace
     * @param service the Service's name
     * @param servicePort the Service port the Ingress names
     * @param localPort where the backend listens on 127.0.0.1
     * @return this emulator
     */
    public IngressControllerEmulator backend(String namespace, String service, int servicePort, int localPort) {
        backends.put(namespace + "/" + service + ":" + servicePort, localPort);
        return this;
    }

    /** Whether and what plain HTTP requests are redirected to https. */
    private enum Redirect { NONE, ALL, ALL_BUT_ACME_CHALLENGES }

    /**
     * Routes each change of an Ingress {@code lag} after the API server stored it, as a controller that routes from
     * an informer and reloads its proxy does. Set once, before the test's changes.
     *
     * @param lag how late changes are routed; positive
     * @return this emulator
     */
    public synchronized IngressControllerEmulator informerLag(Duration lag) {
        requireNonNull(lag, "lag");
        if (lag.isNegative() || lag.isZero()) {
            throw new IllegalArgumentException("lag must be positive, was " + lag);
        }
        if (informer != null) {
            throw new IllegalStateException("informerLag was already set");
        }
        long millis = lag.toMillis();
        informer = client.network().v1().ingresses().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Ingress ingress) {
                lagged.schedule(() -> informed.put(key(ingress), ingress), millis, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onUpdate(Ingress before, Ingress after) {
                lagged.schedule(() -> informed.put(key(after), after), millis, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onDelete(Ingress ingress, boolean finalStateUnknown) {
                lagged.schedule(() -> informed.remove(key(ingress)), millis, TimeUnit.MILLISECONDS);
            }
        });
        return this;
    }

    private static String key(Ingress ingress) {
        return ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
    }

    /**
     * Answers plain HTTP requests with {@code 308 Permanent Redirect} to {@code https://<host><path>}, as an ingress
     * controller with TLS redirect does, instead of routing them.
     *
     * @param exceptAcmeChallenges route {@code /.well-known/acme-challenge/...} all the same, as ingress-nginx does by
     *     default ({@code no-tls-redirect-locations})
     * @return this emulator
     */
    public IngressControllerEmulator redirectToHttps(boolean exceptAcmeChallenges) {
        redirect = exceptAcmeChallenges ? Redirect.ALL_BUT_ACME_CHALLENGES : Redirect.ALL;
        return this;
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return one line per routed request: {@code host path -> namespace/ingress}, or {@code -> 404} */
    public List<String> routed() {
        return List.copyOf(routed);
    }

    /** A route chosen for a request. */
    record Route(Ingress ingress, IngressBackend backend, int pathLength, boolean exact) {
    }

    /**
     * @param host the request's host, without port
     * @param path the request's path
     * @return the Ingress backend serving it, if any
     */
    Optional<Route> route(String host, String path) {
        Route best = null;
        List<Ingress> ingresses = informer != null ? List.copyOf(informed.values())
                : client.network().v1().ingresses().inAnyNamespace().list().getItems();
        for (Ingress ingress : ingresses) {
            if (!ofMyClass(ingress) || ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
                continue;
            }
            for (IngressRule rule : ingress.getSpec().getRules()) {
                if (!hostMatches(rule.getHost(), host) || rule.getHttp() == null || rule.getHttp().getPaths() == null) {
                    continue;
                }
                for (HTTPIngressPath p : rule.getHttp().getPaths()) {
                    String rulePath = p.getPath() == null ? "/" : p.getPath();
                    boolean exact = "Exact".equals(p.getPathType());
                    boolean matches = exact ? rulePath.equals(path) : prefixMatches(rulePath, path);
                    if (!matches) {
                        continue;
                    }
                    Route candidate = new Route(ingress, p.getBackend(), rulePath.length(), exact);
                    if (best == null || candidate.pathLength() > best.pathLength()
                            || (candidate.pathLength() == best.pathLength() && exact && !best.exact())) {
                        best = candidate;
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private boolean ofMyClass(Ingress ingress) {
        String className = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        String annotated = annotations == null ? null : annotations.get(CLASS_ANNOTATION);
        return ingressClass.equals(className) || ingressClass.equals(annotated);
    }

    private static boolean hostMatches(String ruleHost, String host) {
        if (ruleHost == null || ruleHost.isEmpty()) {
            return true;
        }
        String rule = ruleHost.toLowerCase(Locale.ROOT);
        if (rule.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(rule.substring(1));
        }
        return rule.equals(host);
    }

    /** Prefix matching by whole path elements: {@code /foo} matches {@code /foo} and {@code /foo/bar}, not {@code /foobar}. */
    private static boolean prefixMatches(String prefix, String path) {
        String p = prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix;
        return p.equals("/") || path.equals(p) || path.startsWith(p + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String hostHeader = exchange.getRequestHeaders().getFirst("Host");
            String host = hostHeader == null ? "" : hostHeader.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            Redirect redirecting = redirect;
            if (redirecting == Redirect.ALL
                    || redirecting == Redirect.ALL_BUT_ACME_CHALLENGES && !path.startsWith("/.well-known/acme-challenge/")) {
                String query = exchange.getRequestURI().getRawQuery();
                exchange.getResponseHeaders().set("Location", "https://" + host + path + (query == null ? "" : "?" + query));
                routed.add(host + " " + path + " -> 308");
                send(exchange, 308, "308 Permanent Redirect\n");
                return;
            }
            Optional<Route> route = route(host, path);
            if (route.isEmpty() || route.get().backend().getService() == null) {
                routed.add(host + " " + path + " -> 404");
                send(exchange, 404, "no Ingress rule of class " + ingressClass + " for " + host + path + "\n");
                return;
            }
            Ingress ingress = route.get().ingress();
            var service = route.get().backend().getService();
            String key = ingress.getMetadata().getNamespace() + "/" + service.getName() + ":"
                    + (service.getPort() == null ? null : service.getPort().getNumber());
            routed.add(host + " " + path + " -> " + ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName());
            Integer localPort = backends.get(key);
            if (localPort == null) {
                send(exchange, 503, "no backend mapped for Service " + key + "\n");
                return;
            }
            proxy(exchange, localPort, exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        } catch (RuntimeException e) {
            LOG.warn("Ingress emulator failed on {}", exchange.getRequestURI(), e);
        }
    }

    private static void proxy(HttpExchange exchange, int localPort, String pathAndQuery) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + localPort + pathAndQuery)
                .toURL().openConnection();
        connection.setRequestMethod(exchange.getRequestMethod());
        connection.setConnectTimeout((int) Duration.ofSeconds(5).toMillis());
        connection.setReadTimeout((int) Duration.ofSeconds(10).toMillis());
        int status;
        byte[] body;
        try {
            status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            body = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            send(exchange, 502, "backend 127.0.0.1:" + localPort + " failed: " + e.getMessage() + "\n");
            return;
        } finally {
            connection.disconnect();
        }
        String type = connection.getContentType();
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops serving. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        synchronized (this) {
            if (informer != null) {
                informer.close();
            }
        }
        lagged.shutdownNow();
    }
}
