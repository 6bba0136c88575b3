package dev.autocert4j.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.store.InMemoryCertificateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;

/**
 * {@code autocert4j.enabled=false} in the published starter jar on Spring Boot 3.5.7: every auto-configuration its
 * list names (those of Spring Boot 4 and 3 alike, read from the class files as Spring Boot reads conditions) carries
 * the condition, and on Spring Boot 3.5 none contributes a bean, also the Spring Boot 3 health indicator of an
 * application's own {@link CertificateManager}.
 */
class StarterOffSwitchOnSpringBoot35IT {
    private static final ClassLoader LOADER = StarterOffSwitchOnSpringBoot35IT.class.getClassLoader();

    private static List<String> listedAutoConfigurations() {
        return StreamSupport.stream(ImportCandidates.load(AutoConfiguration.class, LOADER).spliterator(), false)
                .filter(name -> name.startsWith("dev.autocert4j.")).toList();
    }

    private static boolean backsOffWhenDisabled(String className) throws IOException {
        AnnotationMetadata metadata = new SimpleMetadataReaderFactory(LOADER).getMetadataReader(className).getAnnotationMetadata();
        Set<AnnotationAttributes> conditions = metadata.getMergedRepeatableAnnotationAttributes(ConditionalOnProperty.class,
                ConditionalOnProperties.class, false);
        return conditions.stream().anyMatch(c -> c.getString("prefix").equals("autocert4j")
                && Arrays.equals(c.getStringArray("name"), new String[] {"enabled"}) && c.getString("havingValue").equals("true")
                && c.getBoolean("matchIfMissing"));
    }

    @Test
    void everyListedAutoConfigurationIsOffWithTheStarterDisabled() throws IOException {
        List<String> listed = listedAutoConfigurations();
        assertThat(listed).as("the starter jar's auto-configuration list").contains(
                "dev.autocert4j.spring.Autocert4jAutoConfiguration", "dev.autocert4j.spring.Autocert4jHealthAutoConfiguration",
                "dev.autocert4j.spring.Autocert4jBoot3HealthAutoConfiguration");
        for (String className : listed) {
            assertThat(backsOffWhenDisabled(className)).as(className + " has @ConditionalOnProperty(autocert4j.enabled)").isTrue();
        }
    }

    @Test
    void aDisabledStarterMakesNoHealthIndicatorForTheApplicationsOwnManager() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration.class))
                .withConfiguration(AutoConfigurations.of(introspectableOnSpringBoot35()))
                // An application's own manager and meter registry, which the health and metrics configurations look for.
                .withBean("manager", CertificateManager.class, () -> CertificateManager.builder()
                        .issuer(SelfSignedIssuer.builder("own").build()).store(new InMemoryCertificateStore()).build(),
                        definition -> definition.setDestroyMethodName("close"))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

        runner.run(context -> assertThat(context).hasNotFailed().hasBean("autocert4jHealthIndicator").hasBean("autocert4jMetrics"));
        runner.withPropertyValues("autocert4j.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("autocert4jHealthIndicator").doesNotHaveBean("autocert4jMetrics");
            assertThat(Arrays.stream(context.getBeanDefinitionNames()).filter(name -> name.startsWith("autocert4j")
                    || name.startsWith("dev.autocert4j.spring.Autocert4j"))).isEmpty();
        });
    }

    /** The listed classes Spring Boot 3.5 can load and introspect (those built on Spring Boot 4's APIs it skips by class). */
    private static Class<?>[] introspectableOnSpringBoot35() {
        return listedAutoConfigurations().stream().map(name -> {
            try {
                Class<?> type = Class.forName(name, false, LOADER);
                type.getDeclaredMethods();
                return type;
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }).filter(type -> type != null).toArray(Class<?>[]::new);
    }
}
