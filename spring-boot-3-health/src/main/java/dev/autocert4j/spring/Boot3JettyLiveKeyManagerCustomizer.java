package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import org.eclipse.jetty.server.Server;
import org.springframework.boot.web.embedded.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.embedded.jetty.JettyServerCustomizer;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * On Spring Boot 3.5, makes embedded Jetty serve the managed certificates from the certificate manager's live key
 * manager, as the starter's Spring Boot 4 customizer does there: Spring Boot 3.5 builds Jetty's SSL context once
 * from the bundle's key store and applies no bundle update on Jetty. When {@code server.ssl.bundle} names one of
 * the starter's bundles, Jetty gets a context over {@link CertificateManager#keyManager()} instead, which picks
 * each handshake's certificate by the client's SNI name and serves a renewal from the next handshake on. Boot's
 * other SSL settings (protocols, ciphers, client authentication) still apply. Thread-safe.
 */
final class Boot3JettyLiveKeyManagerCustomizer implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> {
    private final CertificateManager manager;
    private final String bundleName;

    /**
     * @param manager the certificate manager whose key manager Jetty is to use
     * @param bundleName the name of the starter's default bundle ({@code autocert4j.ssl.bundle}); a certificate's
     *     own bundle is this name, a dash and the certificate's name
     */
    Boot3JettyLiveKeyManagerCustomizer(CertificateManager manager, String bundleName) {
        this.manager = requireNonNull(manager, "manager");
        this.bundleName = requireNonNull(bundleName, "bundleName");
    }

    @Override
    public void customize(ConfigurableJettyWebServerFactory factory) {
        if (factory instanceof AbstractConfigurableWebServerFactory configurable) {
            // Decided when the server is built, after every factory customizer (server.ssl among them) has run.
            factory.addServerCustomizers(new LiveKeyManager(configurable));
        }
    }

    private final class LiveKeyManager implements JettyServerCustomizer {
        private final AbstractConfigurableWebServerFactory factory;

        LiveKeyManager(AbstractConfigurableWebServerFactory factory) {
            this.factory = factory;
        }

        @Override
        public void customize(Server server) {
            if (JettyLiveKeyManager.servesStarterBundle(factory.getSsl(), bundleName)) {
                JettyLiveKeyManager.install(server, manager);
            }
        }
    }
}
