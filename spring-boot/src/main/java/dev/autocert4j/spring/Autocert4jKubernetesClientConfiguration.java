package dev.autocert4j.spring;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The fabric8 client of the Kubernetes store ({@code autocert4j.store.kubernetes.enabled=true}), configured as
 * fabric8 configures itself: in a pod from its service account, elsewhere from {@code KUBECONFIG} or
 * {@code ~/.kube/config}. Backs off when the application defines its own {@link KubernetesClient}, and with the
 * whole starter at {@code autocert4j.enabled=false}.
 */
@AutoConfiguration(before = Autocert4jAutoConfiguration.class)
@ConditionalOnAutocert4jEnabled
@ConditionalOnClass(name = {"io.fabric8.kubernetes.client.KubernetesClient", "dev.autocert4j.store.k8s.KubernetesSecretStore"})
@ConditionalOnProperty(prefix = "autocert4j.store.kubernetes", name = "enabled", havingValue = "true")
public class Autocert4jKubernetesClientConfiguration implements BeanClassLoaderAware {
    private ClassLoader classLoader = Autocert4jKubernetesClientConfiguration.class.getClassLoader();

    /** Created by Spring Boot's auto-configuration. */
    public Autocert4jKubernetesClientConfiguration() {
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * @return a client configured from the environment, over the HTTP client fabric8 picks; closed with the context
     * @throws InvalidAutocert4jPropertyException if that HTTP client cannot run here (fabric8's Vert.x 5 client on
     *     Spring Boot 3.5's Netty 4.1): the message says which client to add
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public KubernetesClient autocert4jKubernetesClient() {
        return new KubernetesClientBuilder().withHttpClientFactory(KubernetesHttpClientFactory.runnableOn(classLoader))
                .build();
    }
}
