package dev.autocert4j.spring;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * cert-manager manifests to load, {@code autocert4j.manifests.*}: their ClusterIssuers, Issuers and Certificates
 * are managed in addition to those of {@code autocert4j.issuers} and {@code autocert4j.certificates}. Needs
 * {@code dev.autocert4j:autocert4j-manifests} on the class path. Not thread-safe: Spring binds it once at start-up.
 */
public class ManifestsProperties {
    /** Manifest files, read as one set: Spring resource locations ({@code classpath:cert-manager.yaml}, {@code file:/etc/tls/issuers.yaml}, or a plain path). */
    private List<String> locations = new ArrayList<>();

    /** Replaces the {@code spec.acme.server} of every ACME issuer in the manifests, e.g. with Let's Encrypt's staging directory or a test CA. */
    private URI acmeServerOverride;

    /** PEM files of CA certificates to trust for the ACME servers' own TLS (a test CA such as Pebble). */
    private List<Path> trustedCertificates = new ArrayList<>();

    /** A directory laid out as Kubernetes mounts Secrets ({@code <dir>/<secret>/<key>}), searched for the manifests' secret references after the environment. */
    private Path secretsDirectory;

    /** Created by Spring's binder. */
    public ManifestsProperties() {
    }

    /** @return the manifest locations */
    public List<String> getLocations() {
        return locations;
    }

    /** @param locations the manifest locations */
    public void setLocations(List<String> locations) {
        this.locations = locations;
    }

    /** @return the ACME directory that replaces the manifests' servers, or null */
    public URI getAcmeServerOverride() {
        return acmeServerOverride;
    }

    /** @param acmeServerOverride the ACME directory that replaces the manifests' servers */
    public void setAcmeServerOverride(URI acmeServerOverride) {
        this.acmeServerOverride = acmeServerOverride;
    }

    /** @return PEM files of CA certificates trusted for the ACME servers' TLS */
    public List<Path> getTrustedCertificates() {
        return trustedCertificates;
    }

    /** @param trustedCertificates PEM files of CA certificates trusted for the ACME servers' TLS */
    public void setTrustedCertificates(List<Path> trustedCertificates) {
        this.trustedCertificates = trustedCertificates;
    }

    /** @return the directory of mounted Secrets, or null */
    public Path getSecretsDirectory() {
        return secretsDirectory;
    }

    /** @param secretsDirectory the directory of mounted Secrets */
    public void setSecretsDirectory(Path secretsDirectory) {
        this.secretsDirectory = secretsDirectory;
    }
}
