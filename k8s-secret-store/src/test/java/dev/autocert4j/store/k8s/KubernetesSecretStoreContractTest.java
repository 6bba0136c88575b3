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

    @AfterEach
    void stopApi() {
        api.close();
    }
}
