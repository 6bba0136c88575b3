package dev.autocert4j.spring;

import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.file.FileCertificateStore;
import java.util.Optional;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The store {@code autocert4j.store.*} asks for: the file store, or the Kubernetes Secret store when
 * {@code autocert4j.store.kubernetes.enabled=true}. Touches the Kubernetes classes only then, so the starter runs
 * without them otherwise.
 */
final class StoreModel {
    static final String KUBERNETES_ENABLED = "autocert4j.store.kubernetes.enabled";

    /** The store. */
    final CertificateStore store;
    /** The namespace for the properties' certificates, when the store has one. */
    final Optional<String> namespace;

    StoreModel(CertificateStore store, Optional<String> namespace) {
        this.store = store;
        this.namespace = namespace;
    }

    /**
     * @param properties the bound properties
     * @param classLoader the application's class loader
     * @param beans where the Kubernetes client bean is
     * @return the store
     */
    static StoreModel of(Autocert4jProperties properties, ClassLoader classLoader, BeanFactory beans) {
        KubernetesStoreProperties kubernetes = properties.getStore().getKubernetes();
        if (!kubernetes.isEnabled()) {
            return new StoreModel(FileCertificateStore.of(properties.getStore().getDirectory()), Optional.empty());
        }
        for (String type : new String[] {"dev.autocert4j.store.k8s.KubernetesSecretStore", "io.fabric8.kubernetes.client.KubernetesClient"}) {
            if (!ClassUtils.isPresent(type, classLoader)) {
                throw new InvalidAutocert4jPropertyException(KUBERNETES_ENABLED, "the Kubernetes store needs autocert4j-k8s-secret-store, "
                        + "which is not on the class path (" + type + " is missing)",
                        "add the dependency dev.autocert4j:autocert4j-k8s-secret-store (no version: the autocert4j BOM has it), "
                                + "or remove " + KUBERNETES_ENABLED + " to keep certificates in files");
            }
        }
        return KubernetesStoreFactory.create(kubernetes, beans);
    }
}
