package dev.autocert4j.spring;

import dev.autocert4j.store.k8s.KubernetesSecretStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.springframework.beans.factory.BeanFactory;

/** Builds the Kubernetes Secret store; only {@link StoreModel} calls it, after checking that the jars are there. */
final class KubernetesStoreFactory {
    private KubernetesStoreFactory() {
    }

    static StoreModel create(KubernetesStoreProperties properties, BeanFactory beans) {
        KubernetesClient client = beans.getBean(KubernetesClient.class);
        KubernetesSecretStore store = PropertiesModel.apply("autocert4j.store.kubernetes.cluster-resource-namespace",
                () -> KubernetesSecretStore.of(client, properties.getClusterResourceNamespace()));
        String namespace = properties.getNamespace() != null ? properties.getNamespace()
                : Optional.ofNullable(client.getNamespace()).orElse("default");
        return new StoreModel(store, Optional.of(namespace));
    }
}
