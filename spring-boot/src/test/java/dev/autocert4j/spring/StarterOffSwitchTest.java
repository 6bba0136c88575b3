package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.store.InMemoryCertificateStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * {@code autocert4j.enabled=false} turns the whole starter off: none of its auto-configurations contributes a bean,
 * also where each would otherwise find what it needs (the Kubernetes store enabled, an application's own
 * {@link CertificateManager}, a meter registry, HTTP-01 in the application).
 */
class StarterOffSwitchTest {
    private static final String[] EVERYTHING_ASKED_FOR = {"autocert4j.store.kubernetes.enabled=true",
        "autocert4j.http01.mode=application", "autocert4j.issuers.internal.self-signed=true",
        "autocert4j.certificates.api.dns-names=api.internal"};

    /**
     * The starter's auto-configurations that this class path can load and introspect: the Spring Boot 3 health one
     * needs Spring Boot 3's actuator (where Spring Boot itself reads its conditions from the class file and skips it).
     */
    private static Class<?>[] starterAutoConfigurations() {
        ClassLoader loader = StarterOffSwitchTest.class.getClassLoader();
        return StreamSupport.stream(ImportCandidates.load(AutoConfiguration.class, loader).spliterator(), false)
                .filter(name -> name.startsWith("dev.autocert4j.")).map(name -> introspectable(name, loader))
                .filter(type -> type != null).toArray(Class<?>[]::new);
    }

    private static Class<?> introspectable(String name, ClassLoader loader) {
        try {
            Class<?> type = ClassUtils.forName(name, loader);
            type.getDeclaredMethods(); // resolves the types of its bean methods
            return type;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(starterAutoConfigurations()))
            .withConfiguration(UserConfigurations.of(ApplicationBeans.class));

    /** Beans of autocert4j or fabric8 types that the application did not define itself. */
    private static List<String> starterBeans(AssertableApplicationContext context) {
        List<String> own = List.of(context.getBeanNamesForType(ApplicationBeans.class));
        return Arrays.stream(context.getBeanDefinitionNames()).filter(name -> !own.contains(name))
                .filter(name -> !name.equals("manager") && !name.equals("meterRegistry")).filter(name -> {
                    Class<?> type = context.getType(name);
                    String typeName = type == null ? "" : type.getName();
                    return typeName.startsWith("dev.autocert4j.") || typeName.startsWith("io.fabric8.");
                }).toList();
    }

    @Test
    void theListNamesTheAutoConfigurationsThisTestRuns() {
        assertThat(starterAutoConfigurations()).contains(Autocert4jAutoConfiguration.class,
                Autocert4jKubernetesClientConfiguration.class, HealthReading.AUTO_CONFIGURATION,
                Autocert4jMetricsAutoConfiguration.class, Autocert4jHttp01AutoConfiguration.class);
    }

    @Test
    void aDisabledStarterContributesNoBeanAtAllAlsoWithTheKubernetesStoreEnabled() {
        runner.withPropertyValues(EVERYTHING_ASKED_FOR).withPropertyValues("autocert4j.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(starterBeans(context)).isEmpty();
            assertThat(context).doesNotHaveBean(KubernetesClient.class);
            assertThat(context.getBean(CertificateManager.class)).isSameAs(context.getBean("manager"));
        });
    }

    @Test
    void anEnabledStarterContributesItsBeansBesideTheApplicationsManager() {
        runner.withPropertyValues(EVERYTHING_ASKED_FOR).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(KubernetesClient.class).hasBean("autocert4jHealthIndicator");
            assertThat(starterBeans(context)).isNotEmpty();
        });
    }

    /** What an application might define itself, which the starter's optional auto-configurations look for. */
    @Configuration(proxyBeanMethods = false)
    static class ApplicationBeans {
        @Bean(destroyMethod = "close")
        CertificateManager manager() {
            return CertificateManager.builder().issuer(SelfSignedIssuer.builder("own").build())
                    .store(new InMemoryCertificateStore()).build();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
