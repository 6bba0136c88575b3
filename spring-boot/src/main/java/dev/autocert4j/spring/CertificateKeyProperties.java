package dev.autocert4j.spring;

import dev.autocert4j.KeyAlgorithm;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.RotationPolicy;

/**
 * A certificate's private key, {@code autocert4j.certificates.<name>.private-key.*}: cert-manager's
 * {@code spec.privateKey}. Every field may be left out: ECDSA P-256, a new key on each issuance, when none is
 * set. Values bind case-insensitively, so cert-manager's spellings ({@code Ed25519}, {@code Never}) work. Not
 * thread-safe: Spring binds it once at start-up.
 */
public class CertificateKeyProperties {
    /** RSA, ECDSA or ED25519; ECDSA when unset. */
    private KeyAlgorithm algorithm;

    /** RSA bits (2048 to 8192) or ECDSA curve size (256, 384, 521); 2048 for RSA and 256 for ECDSA when unset; none for Ed25519. */
    private Integer size;

    /** Whether a renewal gets a new key: ALWAYS (the default) or NEVER. */
    private RotationPolicy rotationPolicy;

    /** PEM encoding of the stored key: PKCS1 (the default for RSA and ECDSA) or PKCS8 (the only one for Ed25519). */
    private KeyEncoding encoding;

    /** Created by Spring's binder. */
    public CertificateKeyProperties() {
    }

    /** @return the algorithm, or null for the default */
    public KeyAlgorithm getAlgorithm() {
        return algorithm;
    }

    /** @param algorithm the algorithm */
    public void setAlgorithm(KeyAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** @return the key size in bits, or null for the algorithm's default */
    public Integer getSize() {
        return size;
    }

    /** @param size the key size in bits */
    public void setSize(Integer size) {
        this.size = size;
    }

    /** @return the rotation policy, or null for ALWAYS */
    public RotationPolicy getRotationPolicy() {
        return rotationPolicy;
    }

    /** @param rotationPolicy the rotation policy */
    public void setRotationPolicy(RotationPolicy rotationPolicy) {
        this.rotationPolicy = rotationPolicy;
    }

    /** @return the PEM encoding, or null for the algorithm's default */
    public KeyEncoding getEncoding() {
        return encoding;
    }

    /** @param encoding the PEM encoding */
    public void setEncoding(KeyEncoding encoding) {
        this.encoding = encoding;
    }
}
