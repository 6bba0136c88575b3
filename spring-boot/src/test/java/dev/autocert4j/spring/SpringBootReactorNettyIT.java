package dev.autocert4j.spring;

import java.util.List;

/**
 * The starter on Reactor Netty (WebFlux), with one bundle per SNI name through
 * {@code server.ssl.server-name-bundles}. Spring Boot builds Netty's SSL contexts from the bundles' key manager
 * factories (the certificate manager's live key manager) and rebuilds them on each bundle update.
 */
class SpringBootReactorNettyIT extends LiveServerRenewalScenario {
    @Override
    String expectedWebServer() {
        return "[NettyReactiveWebServerFactory]";
    }

    @Override
    List<String> sniProperties() {
        return List.of(
                "server.ssl.server-name-bundles[0].server-name=" + WWW,
                "server.ssl.server-name-bundles[0].bundle=autocert4j-www",
                "server.ssl.server-name-bundles[1].server-name=" + API,
                "server.ssl.server-name-bundles[1].bundle=autocert4j-api");
    }
}
