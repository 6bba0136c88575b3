package dev.autocert4j.spring;

import dev.autocert4j.CertificateManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code autocert4j} health indicator ({@link CertificateHealthIndicator}), when Spring Boot's health support
 * (spring-boot-health, brought by spring-boot-starter-actuator) is on the class path and there is a
 * {@link CertificateManager}. Off with {@code management.health.autocert4j.enabled=false}.
 */
@AutoConfiguration(after = Autocert4jAutoConfiguration.class)
@ConditionalOnAutocert4jEnabled
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(CertificateManager.class)
public class Autocert4jHealthAutoConfiguration {

    /** Created by Spring Boot's auto-configuration. */
    public Autocert4jHealthAutoConfiguration() {
    }

    /**
     * @param manager the certificate manager, the starter's or the application's
     * @return the indicator, named {@code autocert4j} after the bean name
     */
    @Bean
    @ConditionalOnMissingBean(name = "autocert4jHealthIndicator")
    // On the method, not the class: the class's conditions are all loaded before any is evaluated, so this one
    // would fail with a ClassNotFoundException where @ConditionalOnClass should have backed off quietly.
    @ConditionalOnEnabledHealthIndicator("autocert4j")
    public CertificateHealthIndicator autocert4jHealthIndicator(CertificateManager manager) {
        return new CertificateHealthIndicator(manager);
    }
}
