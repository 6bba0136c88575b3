package dev.autocert4j.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A watch that its client closes while the mock server is sending it an event: fabric8 8.0.0's mock server blocked
 * its event loop for 10 s on that (its watch listener waits for its sender, which waits for the event loop) and then
 * failed to stop. {@link WatchCloseOffEventLoop} ends such watches off the event loop. The race is narrow (about one
 * close in 30 on this machine), so the test closes many watches right behind an event.
 */
class WatchCloseTest {
    private static final int WATCHES = 100;

    @Test
    @Timeout(120) // without the fix each blocked close costs 10 s: the run would take many minutes, not fail fast
    void aWatchClosedWhileAnEventIsOnItsWayNeitherBlocksTheServerNorItsShutdown() {
        KubernetesMockApi api = new KubernetesMockApi();
        KubernetesClient client = api.newClient();
        try {
            for (int i = 0; i < WATCHES; i++) {
                String name = "cm-" + i;
                client.configMaps().inNamespace("default").resource(configMap(name)).create();
                Watch watch = client.configMaps().inNamespace("default").withName(name).watch(new Ignoring());
                client.configMaps().inNamespace("default").withName(name).delete(); // the DELETED event is on its way
                watch.close();
            }
            assertThat(client.configMaps().inNamespace("default").list().getItems()).as("every ConfigMap deleted").isEmpty();
        } finally {
            client.close();
        }
        assertThatCode(api::close).as("the server stops (it failed with 'Unable to close MockWebServer')")
                .doesNotThrowAnyException();
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToData("k", "v").build();
    }

    private static final class Ignoring implements Watcher<ConfigMap> {
        @Override
        public void eventReceived(Action action, ConfigMap resource) {
            // the test needs the event sent, not received
        }

        @Override
        public void onClose(WatcherException cause) {
            // closed by the test
        }
    }
}
