package dev.autocert4j.testing.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/** A watcher for the tests of the server's side of a watch: the events are sent, what the client does with them does not matter. */
final class IgnoringWatcher implements Watcher<ConfigMap> {
    @Override
    public void eventReceived(Action action, ConfigMap resource) {
        // only the server's side matters
    }

    @Override
    public void onClose(WatcherException cause) {
        // closed by the test
    }
}
