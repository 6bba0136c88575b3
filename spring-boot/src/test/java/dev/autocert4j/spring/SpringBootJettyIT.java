package dev.autocert4j.spring;

import java.util.List;

/**
 * The starter on embedded Jetty (Servlet). Spring Boot builds Jetty's SSL context from the bundle's key store once
 * and neither applies bundle updates nor supports {@code server.ssl.server-name-bundles} on Jetty; the starter
 * hands Jetty the certificate manager's live key manager instead, which picks the certificate by SNI name and
 * serves renewals from the next handshake on. So the one bundle {@code autocert4j} is all the configuration.
 */
class SpringBootJettyIT extends LiveServerRenewalScenario {
    @Override
    String expectedWebServer() {
        return "[JettyServletWebServerFactory]";
    }

    @Override
    List<String> sniProperties() {
        return List.of();
    }
}
