package dev.autocert4j.testing.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;

/**
 * fabric8's mock API server in CRUD mode, over plain HTTP on 127.0.0.1 and a free port, as
 * {@code @EnableKubernetesMockClient(crud = true)} builds it: objects are stored, resourceVersion
 * conflicts answer 409, watches work; strategic merge and server-side apply do not.
 */
public final class KubernetesMockApi implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    /** Starts the server and a client for it. */
    public KubernetesMockApi() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
                false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
        client = server.createClient();
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

    /** Stops the client and the server. */
    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
