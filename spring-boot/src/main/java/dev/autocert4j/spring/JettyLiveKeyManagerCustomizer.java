package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.web.server.Ssl;
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
    private static final Logger LOG = LoggerFactory.getLogger(JettyLiveKeyManagerCustomizer.class);

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

    /** Whether the server's bundle is one of the starter's: the default bundle, or a certificate's own. */
    boolean servesStarterBundle(Ssl ssl) {
        if (!Ssl.isEnabled(ssl) || ssl.getBundle() == null) {
            return false;
        }
        String bundle = ssl.getBundle();
        return bundle.equals(bundleName) || bundle.startsWith(bundleName + "-");
    }

    private final class LiveKeyManager implements JettyServerCustomizer {
        private final JettyWebServerFactory factory;

        LiveKeyManager(JettyWebServerFactory factory) {
            this.factory = factory;
        }

        @Override
        public void customize(Server server) {
            if (!servesStarterBundle(factory.getSsl())) {
                return;
            }
            for (Connector connector : server.getConnectors()) {
                SslConnectionFactory tls = connector.getConnectionFactory(SslConnectionFactory.class);
                if (tls != null) {
                    tls.getSslContextFactory().setSslContext(manager.sslContext());
                    LOG.info("Jetty connector {} serves the certificates of autocert4j by SNI name, renewals included",
                            connector.getName() == null ? "https" : connector.getName());
                }
            }
        }
    }
}
