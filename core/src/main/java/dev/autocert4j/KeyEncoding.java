package dev.autocert4j;

/** How a private key is written to PEM: cert-manager's {@code privateKey.encoding}. */
public enum KeyEncoding {
    /** {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY} (SEC 1); not available for Ed25519. */
    PKCS1,
    /** {@code PRIVATE KEY} (PKCS #8), for every algorithm. */
    PKCS8
}
