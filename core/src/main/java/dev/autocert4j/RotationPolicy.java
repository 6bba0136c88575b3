package dev.autocert4j;

/** Whether a renewal gets a new private key: cert-manager's {@code privateKey.rotationPolicy}. */
public enum RotationPolicy {
    /** A new key for every issuance (the default, as in cert-manager 1.18+). */
    ALWAYS,
    /** Keep the stored key as long as it still fits the spec. */
    NEVER
}
