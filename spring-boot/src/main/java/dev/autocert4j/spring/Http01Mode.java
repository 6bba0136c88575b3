package dev.autocert4j.spring;

/** Who answers the HTTP-01 challenges of the starter's certificates ({@code autocert4j.http01.mode}). */
public enum Http01Mode {
    /** A responder of the starter's own, on {@code autocert4j.http01.address} and {@code autocert4j.http01.port}. */
    STANDALONE,
    /**
     * The application's own HTTP connector: a servlet filter (Spring MVC) or a web filter (WebFlux) answers
     * {@code /.well-known/acme-challenge/{token}} and leaves every other request alone. The application must
     * serve plain HTTP on port 80 of every name, itself or behind a load balancer, and the first certificate is
     * obtained once the web server is up.
     */
    APPLICATION
}
