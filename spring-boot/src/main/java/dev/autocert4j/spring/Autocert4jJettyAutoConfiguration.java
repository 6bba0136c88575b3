package dev.autocert4j.spring;

import dev.autocert4j.CertificateManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * On embedded Jetty, serves the managed certificates from the certificate manager's live key manager, since
 * Spring Boot neither updates Jetty's SSL context from a bundle nor supports per-SNI bundles there (see
 * {@link JettyLiveKeyManagerCustomizer}).
 */
@AutoConfiguration(after = Autocert4jAutoConfiguration.class)
@ConditionalOnAutocert4jEnabled
@ConditionalOnClass(name = {"org.eclipse.jetty.server.Server", "org.springframework.boot.jetty.JettyWebServerFactory"})
@ConditionalOnBean(CertificateManager.class)
public class Autocert4jJettyAutoConfiguration {

    /** Created by Spring Boot's auto-configuration. */
    public Autocert4jJettyAutoConfiguration() {
    }

    /**
     * @param manager the certificate manager, the starter's or the application's
     * @param properties the bound properties, for the bundle name
     * @return the customizer that hands Jetty the live key manager when it serves one of the starter's bundles
     */
    @Bean
    JettyLiveKeyManagerCustomizer autocert4jJettyLiveKeyManager(CertificateManager manager, Autocert4jProperties properties) {
        return new JettyLiveKeyManagerCustomizer(manager, properties.getSsl().getBundle());
    }
}
