package dev.autocert4j.testing.kubernetes;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.function.Predicate;

/**
 * fabric8's mock API server in CRUD mode, over plain HTTP on 127.0.0.1 and a free port, as
 * {@code @EnableKubernetesMockClient(crud = true)} builds it: objects are stored, resourceVersion
 * conflicts answer 409, watches work (also when a client closes one while an event is on its way, which blocks
 * fabric8 8.0.0's own server: see {@code WatchCloseOffEventLoop}); strategic merge and server-side apply do not. In front of it, the checks a
 * real API server makes before it stores an object (names, label and annotation keys and values, annotation and
 * Secret size limits, a Secret's keys, an Ingress's hosts and paths, {@code resourceVersion} on a Lease update): a
 * request a cluster refuses is refused here, with the cluster's answer (422 {@code Invalid} and its causes).
 *
 * <p>It records every request as RBAC sees it ({@link #requests()}: verb, group, resource,
 * namespace), except those of {@link #inspector()}, the client a test arranges and checks with, so
 * that the record shows what the code under test needs. With the system property
 * {@code autocert4j.kubernetes.requestLog} set to a file, every distinct {@code verb group/resource}
 * of the JVM is also written there (emptied by the JVM's first write), for a build step that
 * compares them with documented RBAC rules.
 *
 * <p>It answers {@code SelfSubjectAccessReview}s (authorization.k8s.io/v1) from the Roles given to
 * {@link #bindRole(Role)}, as RBAC would for a user bound to them; with none bound it refuses them (403), as a
 * cluster whose RBAC does not let the user ask. Every other request is served as the cluster-admin.
 *
 * <p>Thread-safe.
 */
public final class KubernetesMockApi implements AutoCloseable {
    private final KubernetesMockServer server;
    private final RecordingDispatcher dispatcher = new RecordingDispatcher();
    private final KubernetesClient client;
    private final KubernetesClient inspector;

    /** Starts the server and a client for it. */
    public KubernetesMockApi() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher,
                false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
        client = server.createClient();
        inspector = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withUserAgent(RecordingDispatcher.INSPECTOR_AGENT).build()).build();
    }

    /**
     * @return a client for the test's own arrangements and checks, closed with the server; its
     *     requests are not {@linkplain #requests() recorded}
     */
    public KubernetesClient inspector() {
        return inspector;
    }

    /**
     * Answers SelfSubjectAccessReviews from this Role too, as RBAC does for a user a RoleBinding binds to it: a
     * review is allowed when a rule of a Role in the review's namespace names its verb, API group and resource (or
     * {@code *}), and its name when the rule lists {@code resourceNames}. Only the reviews are answered from the
     * Roles: the mock still serves every request.
     *
     * @param role a Role with {@code metadata.namespace}, such as the README's (read with fabric8's
     *     {@code Serialization})
     * @return this mock
     */
    public KubernetesMockApi bindRole(Role role) {
        dispatcher.reviews().bind(role);
        return this;
    }

    /**
     * Answers the requests of the code under test that {@code which} matches only after {@code delay}, as a busy
     * API server does: each is served (a write stored) at once, and its answer sent late, without holding up
     * other requests. The {@linkplain #inspector() inspector's} requests are answered at once. Replaces an
     * earlier setting; {@code Duration.ZERO} ends the delay.
     *
     * @param which the requests to answer late, as RBAC sees them (e.g. {@code r -> r.resource().equals("leases")})
     * @param delay how long after serving a request its answer is sent
     * @return this mock
     */
    public KubernetesMockApi answerLate(Predicate<ApiRequest> which, Duration delay) {
        requireNonNull(which, "which");
        requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        dispatcher.answerLate(which, delay);
        return this;
    }

    /** @return every request answered so far, oldest first, except the {@linkplain #inspector() inspector's} */
    public List<ApiRequest> requests() {
        return dispatcher.requests();
    }

    /** @return a client of the server, closed with it */
    public KubernetesClient client() {
        return client;
    }

    /** @return a new client of the server, as another replica would have; the caller closes it */
    public KubernetesClient newClient() {
        return server.createClient();
    }

    /** @return how many requests the server has answered so far */
    public int requestCount() {
        return server.getRequestCount();
    }

    /**
     * @return how many watches the server has open now, of every client (the inspector's too): each counts from its
     *     WebSocket's opening until the server sees it closed or broken. A client that closed its watches and stays
     *     open itself (as a user's shared client does) comes back to 0 here once the server has seen the closes.
     */
    public int openWatches() {
        return dispatcher.openWatches();
    }

    /** Stops the client and the server. */
    @Override
    public void close() {
        inspector.close();
        client.close();
        try {
            server.destroy();
        } finally {
            dispatcher.shutdownWatchCloser();
        }
    }
}
