package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import org.eclipse.jetty.server.Server;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Makes embedded Jetty serve the managed certificates from the certificate manager's live key manager. Spring
 * Boot builds Jetty's SSL context once, from the bundle's key store: it applies no bundle update on Jetty and
 * refuses {@code server.ssl.server-name-bundles} there. When {@code server.ssl.bundle} names one of the
 * starter's bundles, this hands Jetty a context over {@link CertificateManager#keyManager()} instead, which picks
 * each handshake's certificate by the client's SNI name and serves a renewal from the next handshake on. Boot's
 * other SSL settings (protocols, ciphers, client authentication) still apply. Thread-safe.
 */
final class JettyLiveKeyManagerCustomizer implements WebServerFactoryCustomizer<JettyWebServerFactory> {
    private final CertificateManager manager;
    private final String bundleName;

    JettyLiveKeyManagerCustomizer(CertificateManager manager, String bundleName) {
        this.manager = requireNonNull(manager, "manager");
        this.bundleName = requireNonNull(bundleName, "bundleName");
    }

    @Override
    public void customize(JettyWebServerFactory factory) {
        // Decided when the server is built, after every factory customizer (server.ssl among them) has run.
        factory.addServerCustomizers(new LiveKeyManager(factory));
    }

    private final class LiveKeyManager implements JettyServerCustomizer {
        private final JettyWebServerFactory factory;

        LiveKeyManager(JettyWebServerFactory factory) {
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
