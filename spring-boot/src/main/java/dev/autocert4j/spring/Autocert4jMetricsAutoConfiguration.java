package dev.autocert4j.spring;

import dev.autocert4j.CertificateManager;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The Micrometer meters of the managed certificates ({@link CertificateMetrics}), when Micrometer is on the class
 * path and there is a {@link CertificateManager}. Spring Boot binds the {@link CertificateMetrics} bean to every
 * meter registry it configures.
 */
@AutoConfiguration(after = Autocert4jAutoConfiguration.class)
@ConditionalOnAutocert4jEnabled
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(CertificateManager.class)
public class Autocert4jMetricsAutoConfiguration {

    /** Created by Spring Boot's auto-configuration. */
    public Autocert4jMetricsAutoConfiguration() {
    }

    /**
     * @param manager the certificate manager, the starter's or the application's
     * @return the meter binder; it counts the events that the starter republishes
     */
    @Bean
    @ConditionalOnMissingBean
    public CertificateMetrics autocert4jMetrics(CertificateManager manager) {
        return new CertificateMetrics(manager);
    }
}
