package dev.autocert4j.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A change that reaches a watch while the watch ends: fabric8 8.0.0's watch stops its sender before it leaves the
 * dispatcher's set, so a change in between had its event refused and its request went unanswered (the client gave
 * up after 10 s). {@link ServerWatches} takes an ending watch out of the set first.
 */
class WatchEndDuringChangeTest {
    private static final int ROUNDS = 200;

    @Test
    @Timeout(120) // without the fix an unanswered change costs the client's 10 s request timeout, then fails
    void everyChangeIsAnsweredWhileTheWatchesItReachesEnd() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            KubernetesClient client = api.newClient();
            try {
                for (int i = 0; i < ROUNDS; i++) {
                    String name = "cm-" + i;
                    Watch watch = client.configMaps().inNamespace("default").watch(new Ignoring());
                    client.configMaps().inNamespace("default").resource(configMap(name)).create(); // keeps its sender busy
                    watch.close();
                    client.configMaps().inNamespace("default").withName(name).delete(); // reaches the ending watch
                }
                assertThat(client.configMaps().inNamespace("default").list().getItems()).as("every change answered")
                        .isEmpty();
            } finally {
                client.close();
            }
        }
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToData("k", "v").build();
    }

    private static final class Ignoring implements Watcher<ConfigMap> {
        @Override
        public void eventReceived(Action action, ConfigMap resource) {
            // the test needs the events sent, not received
        }

        @Override
        public void onClose(WatcherException cause) {
            // closed by the test
        }
    }
}
