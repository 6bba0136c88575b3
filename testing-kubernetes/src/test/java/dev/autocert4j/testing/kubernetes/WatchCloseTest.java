package dev.autocert4j.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A watch that its client closes while the mock server is sending it an event: fabric8 8.0.0's mock server blocked
 * its event loop for 10 s on that (its watch listener waits for its sender, which waits for the event loop) and then
 * failed to stop. {@link WatchCloseOffEventLoop} ends such watches off the event loop. The race is narrow (about one
 * close in 30 on this machine), so the test closes many watches right behind an event. And a change that reaches a
 * watch while it ends: the listener stops its sender before it leaves the dispatcher's set, so a change in between
 * had its event refused and its request went unanswered; {@link ServerWatches} takes an ending watch out first.
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
                Watch watch = client.configMaps().inNamespace("default").withName(name).watch(new IgnoringWatcher());
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

    @Test
    @Timeout(120) // without the fix an unanswered change costs the client's 10 s request timeout, then fails
    void everyChangeIsAnsweredWhileTheWatchesItReachesEnd() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            KubernetesClient client = api.newClient();
            try {
                for (int i = 0; i < WATCHES; i++) {
                    String name = "cm-" + i;
                    Watch watch = client.configMaps().inNamespace("default").watch(new IgnoringWatcher());
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
}
