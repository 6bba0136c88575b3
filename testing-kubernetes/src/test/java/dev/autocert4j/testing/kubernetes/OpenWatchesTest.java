package dev.autocert4j.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.testing.internal.Poll;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenWatchesTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void countsAWatchFromItsOpeningToItsCloseWhileTheClientStaysOpen() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            KubernetesClient client = api.client();
            assertThat(api.openWatches()).as("before any watch").isZero();

            Watch first = client.configMaps().inNamespace("default").watch(new Ignoring());
            Watch second = client.configMaps().inNamespace("other").withName("one").watch(new Ignoring());
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
            client.configMaps().inNamespace("default").watch(new Ignoring());
            Poll.until(LIMIT, () -> api.openWatches() == 1, () -> "open watches: " + api.openWatches() + ", not 1");

            client.close();
            Poll.until(LIMIT, () -> api.openWatches() == 0, () -> "open watches: " + api.openWatches() + ", not 0");
        }
    }

    private static final class Ignoring implements Watcher<ConfigMap> {
        @Override
        public void eventReceived(Action action, ConfigMap resource) {
            // only the watch's WebSocket matters here
        }

        @Override
        public void onClose(WatcherException cause) {
            // closed by the test
        }
    }
}
