package dev.autocert4j.spring;

import dev.autocert4j.CertificateManager;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.Ssl;

/**
 * What the Jetty customizers of Spring Boot 4 and 3.5 share: whether the server serves one of the starter's bundles,
 * and handing its TLS connectors the manager's live key manager. Only Jetty, core and {@link Ssl} (the same on both
 * Spring Boot lines), so that spring-boot-3-health compiles this source too.
 */
final class JettyLiveKeyManager {
    private static final Logger LOG = LoggerFactory.getLogger(JettyLiveKeyManager.class);

    private JettyLiveKeyManager() {
    }

    /**
     * @param ssl the server's SSL settings, null if none
     * @param bundleName the starter's default bundle name; a certificate's own bundle is this name, a dash and more
     * @return whether the server's bundle is the starter's default bundle or a certificate's own
     */
    static boolean servesStarterBundle(Ssl ssl, String bundleName) {
        if (!Ssl.isEnabled(ssl) || ssl.getBundle() == null) {
            return false;
        }
        String bundle = ssl.getBundle();
        return bundle.equals(bundleName) || bundle.startsWith(bundleName + "-");
    }

    /** Hands every TLS connector of the server an SSL context over the manager's live key manager. */
    static void install(Server server, CertificateManager manager) {
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
