package dev.autocert4j.lock.k8s;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A renewal that cannot reach the API server fails with our typed exception, saying so, not with the client's. */
class LeaseRenewalFailureTest {
    @Test
    void aRenewalWithoutAnApiServerSaysSoInATypedRetryableExceptionThatKeepsTheCause() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // closed again below: nothing listens there
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).withConnectionTimeout(2000)
                .withRequestTimeout(2000).build()).build()) {
            LeaseWriter writer = new LeaseWriter(client, "locks", "replica-a", Duration.ofSeconds(6), Clock.systemUTC(),
                    System::nanoTime);
            LeaseLock lock = new LeaseLock("certificate/default/www", LeaseNames.leaseName("certificate/default/www"), "locks",
                    Duration.ofSeconds(5).toNanos(), System::nanoTime, l -> { });
            lock.renewed(new LeaseBuilder().withNewMetadata().withName(lock.leaseName).withNamespace("locks")
                    .withResourceVersion("1").endMetadata().withNewSpec().withHolderIdentity("replica-a").endSpec().build(),
                    System.nanoTime());

            assertThatThrownBy(() -> writer.renew(lock)).isInstanceOf(AutocertException.class)
                    .hasMessageContaining("Lease locks/" + LeaseNames.leaseName("certificate/default/www"))
                    .hasMessageContaining("no answer from the Kubernetes API server: ").hasMessageContaining("Connection refused")
                    .hasMessageNotContaining("HTTP ")
                    .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((AutocertException) e).isRetryable()).isTrue())
                    .hasCauseInstanceOf(KubernetesClientException.class).hasRootCauseInstanceOf(ConnectException.class);
        }
    }
}
