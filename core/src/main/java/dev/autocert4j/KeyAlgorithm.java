package dev.autocert4j;

/** Private key algorithms a certificate may use. */
public enum KeyAlgorithm {
    /** RSA with 2048 to 8192 bits. */
    RSA,
    /** ECDSA on P-256, P-384 or P-521. */
    ECDSA,
    /** Ed25519 (few public CAs sign it; Let's Encrypt does not). */
    ED25519
}
