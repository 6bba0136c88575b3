package dev.autocert4j.spring;

import java.nio.file.Path;

/**
 * A CA issuer, {@code autocert4j.issuers.<name>.ca.*}: cert-manager's {@code spec.ca}, with the CA's certificate
 * and key read from PEM files (a Kubernetes Secret's {@code tls.crt} and {@code tls.key} mounted as files work as
 * they are). It signs every certificate in the process, without a solver. Not thread-safe: Spring binds it once
 * at start-up.
 */
public class CaIssuerProperties {
    /** PEM file of the CA certificate (CA:true, keyCertSign), optionally followed by the certificates that issued it. */
    private Path certificate;

    /** PEM file of the CA's unencrypted private key (PKCS #1, SEC 1 or PKCS #8). */
    private Path privateKey;

    /** Created by Spring's binder. */
    public CaIssuerProperties() {
    }

    /** @return the CA certificate's PEM file, or null */
    public Path getCertificate() {
        return certificate;
    }

    /** @param certificate the CA certificate's PEM file */
    public void setCertificate(Path certificate) {
        this.certificate = certificate;
    }

    /** @return the CA key's PEM file, or null */
    public Path getPrivateKey() {
        return privateKey;
    }

    /** @param privateKey the CA key's PEM file */
    public void setPrivateKey(Path privateKey) {
        this.privateKey = privateKey;
    }
}
