package dev.autocert4j;

/**
 * cert-manager's {@code additionalOutputFormats}: data entries a Secret store writes beside
 * {@code tls.crt} and {@code tls.key}, kept current on every renewal and removed when no longer asked for.
 */
public enum OutputFormat {
    /** {@code tls-combined.pem}: the private key PEM, a line break, then the chain PEM. */
    COMBINED_PEM("CombinedPEM"),
    /** {@code key.der}: the private key in DER, in the encoding of {@code tls.key}. */
    DER("DER");

    private final String manifestName;

    OutputFormat(String manifestName) {
        this.manifestName = manifestName;
    }

    /** @return the format as written in cert-manager manifests ({@code CombinedPEM}) */
    public String manifestName() {
        return manifestName;
    }
}
