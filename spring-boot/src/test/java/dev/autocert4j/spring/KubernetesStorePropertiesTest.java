package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.kubernetes.ApiRequest;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/** {@code autocert4j.store.kubernetes.*}: certificates in Secrets on fabric8's CRUD mock API server, Lease locks. */
class KubernetesStorePropertiesTest {
    @TempDir
    Path dir;

    private static SpringApplicationBuilder application(KubernetesMockApi api) {
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .initializers(c -> c.getBeanFactory().registerSingleton("clusterClient", api.client()));
    }

    @Test
    void certificateIsWrittenToASecretAsTheKubernetesStoreWritesItAndLockedWithALease() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi();
                ConfigurableApplicationContext context = application(api).properties(
                        "autocert4j.store.kubernetes.enabled=true",
                        "autocert4j.store.kubernetes.namespace=shop",
                        "autocert4j.store.kubernetes.cluster-resource-namespace=autocert4j-system",
                        "autocert4j.store.directory=" + dir,
                        "autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.certificates.www.dns-names=www.shop.internal").run()) {
            SslBundle bundle = context.getBean(SslBundles.class).getBundle("autocert4j");
            X509Certificate served = (X509Certificate) bundle.getStores().getKeyStore().getCertificate(bundle.getKey().getAlias());

            assertThat(context.getBean(CertificateManager.class).managedCertificates()).extracting(Certificate::id)
                    .containsExactly("shop/www");
            Secret secret = api.inspector().secrets().inNamespace("shop").withName("www").get();
            assertThat(secret).as("Secret shop/www").isNotNull();
            assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
            assertThat(secret.getMetadata().getAnnotations()).containsEntry("cert-manager.io/issuer-name", "internal")
                    .containsEntry("cert-manager.io/common-name", "www.shop.internal");
            X509Certificate stored = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(secret.getData().get("tls.crt"))));
            assertThat(stored).as("the Secret holds what the bundle serves").isEqualTo(served);
            assertThat(api.requests()).as("the store's default lock: Leases in the cluster resource namespace")
                    .contains(new ApiRequest("create", "coordination.k8s.io", "leases", "autocert4j-system"));
            assertThat(Files.list(dir)).as("nothing in the file store").isEmpty();
        }
    }

    @Test
    void applicationsOwnKubernetesClientIsUsedAndTheStarterMakesNone() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi();
                ConfigurableApplicationContext context = application(api).properties(
                        "autocert4j.store.kubernetes.enabled=true",
                        "autocert4j.store.directory=" + dir,
                        "autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.certificates.www.dns-names=www.shop.internal").run()) {
            assertThat(context.getBeansOfType(KubernetesClient.class)).containsOnlyKeys("clusterClient");
            assertThat(context.getBean(CertificateManager.class).managedCertificates()).extracting(Certificate::namespace)
                    .as("the client's namespace").containsExactly(api.client().getNamespace() == null ? "default" : api.client().getNamespace());
        }
    }

    @Test
    void withoutAClientBeanTheStarterMakesOneAsFabric8ConfiguresItself() throws Exception {
        java.util.Map<String, String> fabric8 = new java.util.LinkedHashMap<>();
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            fabric8.put("kubernetes.master", api.client().getMasterUrl().toString());
            fabric8.put("kubernetes.namespace", "from-fabric8-config");
            fabric8.put("kubernetes.auth.tryKubeConfig", "false");
            fabric8.put("kubernetes.auth.tryServiceAccount", "false");
            fabric8.forEach(System::setProperty);
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                    .web(WebApplicationType.NONE).properties(
                            "autocert4j.store.kubernetes.enabled=true",
                            "autocert4j.store.directory=" + dir,
                            "autocert4j.issuers.internal.self-signed=true",
                            "autocert4j.certificates.www.dns-names=www.shop.internal").run()) {
                context.getBean(SslBundles.class).getBundle("autocert4j");

                assertThat(context.getBeansOfType(KubernetesClient.class)).containsOnlyKeys("autocert4jKubernetesClient");
                assertThat(api.inspector().secrets().inNamespace("from-fabric8-config").withName("www").get())
                        .as("the Secret, in the namespace of the client's configuration").isNotNull();
            }
        } finally {
            fabric8.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void kubernetesStoreWithoutItsJarFailsStartupNamingTheDependency() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .resourceLoader(new DefaultResourceLoader(new FilteredClassLoader(KubernetesSecretStore.class)))
                .properties("autocert4j.store.kubernetes.enabled=true", "autocert4j.store.directory=" + dir,
                        "autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.certificates.www.dns-names=www.shop.internal").run().close());

        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.store.kubernetes.enabled");
        assertThat(invalid.action()).contains("dev.autocert4j:autocert4j-k8s-secret-store");
    }

    @Test
    void fabric8sVertxClientWithoutNetty42FailsStartupNamingTheClientToAdd() {
        // Spring Boot 3.5's Netty 4.1: its class path lacks this Netty 4.2 class, which Vert.x 5 needs.
        FilteredClassLoader netty41 = new FilteredClassLoader(name -> name.equals("io.netty.channel.MultiThreadIoEventLoopGroup"));
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .resourceLoader(new DefaultResourceLoader(netty41))
                .properties("autocert4j.store.kubernetes.enabled=true", "autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.certificates.www.dns-names=www.shop.internal").run().close());

        InvalidAutocert4jPropertyException invalid = StartupFailures.invalidProperty(failure);
        assertThat(invalid.property()).isEqualTo("autocert4j.store.kubernetes.enabled");
        assertThat(invalid).hasMessageContaining("Netty 4.2");
        assertThat(invalid.action()).contains("io.fabric8:kubernetes-httpclient-jdk");
    }
}
