package dev.autocert4j;

/** Private key algorithms a certificate may use. */
public enum KeyAlgorithm {
    /** RSA with 2048, 3072 or 4096 bits. */
    RSA,
    /** ECDSA on P-256 or P-384. */
    ECDSA,
    /** Ed25519 (few public CAs sign it; Let's Encrypt does not). */
    ED25519
}
