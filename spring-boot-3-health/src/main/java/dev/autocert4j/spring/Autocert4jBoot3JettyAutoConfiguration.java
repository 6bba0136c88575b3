package dev.autocert4j.spring;

import dev.autocert4j.CertificateManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * On embedded Jetty with Spring Boot 3.5, serves the managed certificates from the certificate manager's live key
 * manager (see {@link Boot3JettyLiveKeyManagerCustomizer}). Listed next to the Spring Boot 4 one in the starter's
 * auto-configuration list: on Spring Boot 4 {@code org.springframework.boot.web.embedded.jetty} is gone, so this one
 * backs off (Spring Boot reads the condition from the class file without loading the class).
 */
// By name: the starter's auto-configuration is compiled after this module, into the same jar.
@AutoConfiguration(afterName = "dev.autocert4j.spring.Autocert4jAutoConfiguration")
@ConditionalOnAutocert4jEnabled
@ConditionalOnClass(name = {"org.eclipse.jetty.server.Server",
    "org.springframework.boot.web.embedded.jetty.ConfigurableJettyWebServerFactory"})
@ConditionalOnBean(CertificateManager.class)
public class Autocert4jBoot3JettyAutoConfiguration {

    /** Created by Spring Boot's auto-configuration. */
    public Autocert4jBoot3JettyAutoConfiguration() {
    }

    /**
     * @param manager the certificate manager, the starter's or the application's
     * @param bundleName the starter's bundle name, {@code autocert4j.ssl.bundle} (this class cannot see the
     *     starter's properties class, which is compiled after it)
     * @return the customizer that hands Jetty the live key manager when it serves one of the starter's bundles
     */
    @Bean
    Boot3JettyLiveKeyManagerCustomizer autocert4jBoot3JettyLiveKeyManager(CertificateManager manager,
            @Value("${autocert4j.ssl.bundle:autocert4j}") String bundleName) {
        return new Boot3JettyLiveKeyManagerCustomizer(manager, bundleName);
    }
}
