package dev.autocert4j.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.testing.internal.Poll;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenWatchesTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void countsAWatchFromItsOpeningToItsCloseWhileTheClientStaysOpen() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            KubernetesClient client = api.client();
            assertThat(api.openWatches()).as("before any watch").isZero();

            Watch first = client.configMaps().inNamespace("default").watch(new IgnoringWatcher());
            Watch second = client.configMaps().inNamespace("other").withName("one").watch(new IgnoringWatcher());
            Poll.until(LIMIT, () -> api.openWatches() == 2, () -> "open watches: " + api.openWatches() + ", not 2");

            first.close();
            Poll.until(LIMIT, () -> api.openWatches() == 1, () -> "open watches: " + api.openWatches() + ", not 1");
            second.close();
            Poll.until(LIMIT, () -> api.openWatches() == 0, () -> "open watches: " + api.openWatches() + ", not 0");
            assertThat(client.configMaps().inNamespace("default").list().getItems()).as("the client still works").isEmpty();
        }
    }

    @Test
    void countsTheWatchesOfAClosedClientAsClosed() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            KubernetesClient client = api.newClient();
            client.configMaps().inNamespace("default").watch(new IgnoringWatcher());
            Poll.until(LIMIT, () -> api.openWatches() == 1, () -> "open watches: " + api.openWatches() + ", not 1");

            client.close();
            Poll.until(LIMIT, () -> api.openWatches() == 0, () -> "open watches: " + api.openWatches() + ", not 0");
        }
    }
}
