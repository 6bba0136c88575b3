package dev.autocert4j.store.k8s;

import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh fabric8 CRUD mock API server for each test, with a {@link KubernetesSecretStore} on it, closed after the
 * test. Register it as a non-static {@code @RegisterExtension} field.
 */
final class SecretStoreOnMockApi implements BeforeEachCallback, AfterEachCallback {
    private KubernetesMockApi api;
    private KubernetesSecretStore store;

    @Override
    public void beforeEach(ExtensionContext context) {
        api = new KubernetesMockApi();
        store = KubernetesSecretStore.of(api.client());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        api.close();
    }

    KubernetesMockApi api() {
        return api;
    }

    /** The store under test, on this test's API server. */
    KubernetesSecretStore store() {
        return store;
    }

    /** The Secret as the API server holds it, read with the inspector's own client; null when there is none. */
    Secret secret(String namespace, String name) {
        return api.inspector().secrets().inNamespace(namespace).withName(name).get();
    }
}
