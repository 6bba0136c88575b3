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
 * {@code management.health.autocert4j.enabled=false}.
 */
@AutoConfiguration(after = Autocert4jAutoConfiguration.class)
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
