package dev.autocert4j.spring;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import org.springframework.util.ClassUtils;

/**
 * The HTTP client fabric8 would choose, refused with a clear error where it cannot run. fabric8 8's default client
 * (Vert.x 5) needs Netty 4.2, while Spring Boot 3.5 manages Netty 4.1: without this check the application fails
 * at start-up with a bare {@link NoClassDefFoundError} from inside Vert.x.
 */
final class KubernetesHttpClientFactory {
    /** The property whose {@code true} asked for the client. */
    static final String PROPERTY = "autocert4j.store.kubernetes.enabled";

    private static final String VERTX5_PACKAGE = "io.fabric8.kubernetes.client.vertx5.";

    /** A Netty 4.2 class that Vert.x 5 creates its event loops with (absent from Netty 4.1). */
    private static final String NETTY_42_CLASS = "io.netty.channel.MultiThreadIoEventLoopGroup";

    private KubernetesHttpClientFactory() {
    }

    /**
     * @param classLoader the application's class loader
     * @return the factory fabric8 picks on its own (the highest priority on the class path)
     * @throws InvalidAutocert4jPropertyException if that is the Vert.x 5 client and Netty 4.2 is missing
     */
    static HttpClient.Factory runnableOn(ClassLoader classLoader) {
        HttpClient.Factory factory = HttpClientUtils.getHttpClientFactory();
        if (factory.getClass().getName().startsWith(VERTX5_PACKAGE) && !ClassUtils.isPresent(NETTY_42_CLASS, classLoader)) {
            throw new InvalidAutocert4jPropertyException(PROPERTY,
                    "fabric8's default HTTP client (Vert.x 5) needs Netty 4.2, and this application has an older Netty"
                            + " (Spring Boot 3.5 manages Netty 4.1)",
                    "Add io.fabric8:kubernetes-httpclient-jdk (fabric8 then prefers that client, which needs no Netty),"
                            + " define your own KubernetesClient bean, or move the application to Netty 4.2.");
        }
        return factory;
    }
}
