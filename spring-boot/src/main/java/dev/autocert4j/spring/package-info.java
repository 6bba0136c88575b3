/**
 * Spring Boot auto-configuration for autocert4j: a {@link dev.autocert4j.CertificateManager} configured by
 * {@code autocert4j.*} properties, and an SSL bundle ({@code server.ssl.bundle=autocert4j}) that serves its
 * certificates and their renewals in the embedded web server without a restart.
 */
package dev.autocert4j.spring;
