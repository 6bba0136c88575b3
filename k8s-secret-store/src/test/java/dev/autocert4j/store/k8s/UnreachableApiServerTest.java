package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.store.StoreException;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With no API server answering, errors name the cause instead of "HTTP 0", and keep it. */
class UnreachableApiServerTest {
    private static final Certificate CERT = Certificate.builder("www").namespace("default").dnsNames("www.example.test")
            .issuerRef(IssuerRef.clusterIssuer("ca")).build();

    private KubernetesClient client;

    @BeforeEach
    void pointAtAClosedPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // closed again below: nothing listens there
        }
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port)
                .withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).withRequestTimeout(2000).build()).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aStoreSaysTheApiServerDidNotAnswerAndKeepsTheCause() {
        KubernetesSecretStore store = KubernetesSecretStore.of(client);

        assertThatThrownBy(() -> store.load(CERT)).isInstanceOf(StoreException.class)
                .hasMessageContaining("no answer from the Kubernetes API server: ").hasMessageContaining("Connection refused")
                .hasMessageNotContaining("HTTP ")
                .hasCauseInstanceOf(KubernetesClientException.class)
                .hasRootCauseInstanceOf(ConnectException.class);
    }

    @Test
    void aLeaseLockSaysTheApiServerDidNotAnswerAndKeepsTheCause() {
        KubernetesLeaseLockProvider locks = KubernetesLeaseLockProvider.builder(client).namespace("default").build();

        assertThatThrownBy(() -> locks.acquire("www", Duration.ofSeconds(1))).isInstanceOf(AutocertException.class)
                .hasMessageContaining("no answer from the Kubernetes API server: ").hasMessageContaining("Connection refused")
                .hasMessageNotContaining("HTTP ")
                .hasCauseInstanceOf(KubernetesClientException.class);
    }
}
