package dev.autocert4j.spring;

import dev.autocert4j.CertificateManager;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code autocert4j} health indicator on Spring Boot 3 ({@link Boot3CertificateHealthIndicator}), when the
 * actuator (spring-boot-starter-actuator) is on the class path and there is a {@link CertificateManager}. Off with
 * {@code management.health.autocert4j.enabled=false}. Listed next to the Spring Boot 4 one in the starter's
 * auto-configuration list: on Spring Boot 4 {@code org.springframework.boot.actuate.health.HealthIndicator} is gone,
 * so this one backs off (Spring Boot reads the condition from the class file without loading the class).
 */
// By name: the starter's auto-configuration is compiled after this module, into the same jar.
@AutoConfiguration(afterName = "dev.autocert4j.spring.Autocert4jAutoConfiguration")
@ConditionalOnAutocert4jEnabled
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(CertificateManager.class)
public class Autocert4jBoot3HealthAutoConfiguration {

    /** Created by Spring Boot's auto-configuration. */
    public Autocert4jBoot3HealthAutoConfiguration() {
    }

    /**
     * @param manager the certificate manager, the starter's or the application's
     * @return the indicator, named {@code autocert4j} after the bean name
     */
    @Bean
    @ConditionalOnMissingBean(name = "autocert4jHealthIndicator")
    // On the method, not the class: see Autocert4jHealthAutoConfiguration.
    @ConditionalOnEnabledHealthIndicator("autocert4j")
    public Boot3CertificateHealthIndicator autocert4jHealthIndicator(CertificateManager manager) {
        return new Boot3CertificateHealthIndicator(manager);
    }
}
