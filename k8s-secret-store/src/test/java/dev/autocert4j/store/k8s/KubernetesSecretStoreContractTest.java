package dev.autocert4j.store.k8s;

import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.testing.CertificateStoreContract;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import org.junit.jupiter.api.AfterEach;

class KubernetesSecretStoreContractTest extends CertificateStoreContract {
    private KubernetesMockApi api;

    @Override
    protected CertificateStore newStore() throws Exception {
        api = new KubernetesMockApi();
        return KubernetesSecretStore.of(api.client());
    }

    /** Secrets know their certificate: a second certificate with one secretName is refused. */
    @Override
    protected boolean sharesOneEntryPerSecretName() {
        return false;
    }

    @AfterEach
    void stopApi() {
        api.close();
    }
}
