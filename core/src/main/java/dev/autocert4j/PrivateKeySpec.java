package dev.autocert4j;

import static java.util.Objects.requireNonNull;

/**
 * The private key a certificate gets: cert-manager's {@code privateKey} block.
 *
 * @param algorithm RSA, ECDSA or Ed25519
 * @param size RSA bits (2048 to 8192, as cert-manager's {@code pkg/util/pki} allows) or ECDSA curve size
 *     (256, 384, 521); 0 for Ed25519
 * @param encoding PEM encoding of the stored key; PKCS1 is refused for Ed25519
 * @param rotationPolicy whether renewals get a new key
 */
public record PrivateKeySpec(KeyAlgorithm algorithm, int size, KeyEncoding encoding, RotationPolicy rotationPolicy) {
    /** The smallest RSA key: cert-manager's {@code MinRSAKeySize}. */
    public static final int MIN_RSA_BITS = 2048;
    /** The largest RSA key: cert-manager's {@code MaxRSAKeySize}. */
    public static final int MAX_RSA_BITS = 8192;

    /**
     * Validates and copies the components.
     *
     * @param algorithm see the record description
     * @param size see the record description
     * @param encoding see the record description
     * @param rotationPolicy see the record description
     */
    public PrivateKeySpec {
        requireNonNull(algorithm, "algorithm");
        requireNonNull(encoding, "encoding");
        requireNonNull(rotationPolicy, "rotationPolicy");
        switch (algorithm) {
            case RSA -> {
                if (size < MIN_RSA_BITS || size > MAX_RSA_BITS) {
                    throw new IllegalArgumentException("privateKey.size " + size
                            + " is not supported for RSA: use " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits (2048, 3072, 4096, ...)");
                }
            }
            case ECDSA -> {
                if (size != 256 && size != 384 && size != 521) {
                    throw new IllegalArgumentException("privateKey.size " + size
                            + " is not supported for ECDSA: use 256 (P-256), 384 (P-384) or 521 (P-521)");
                }
            }
            case ED25519 -> {
                if (size != 0) {
                    throw new IllegalArgumentException("privateKey.size must not be set for Ed25519 (it has one size); remove it");
                }
                if (encoding == KeyEncoding.PKCS1) {
                    throw new IllegalArgumentException("privateKey.encoding PKCS1 cannot hold an Ed25519 key: use PKCS8");
                }
            }
        }
    }

    /** @return ECDSA P-256, SEC 1 encoded, rotated on every issuance: small, fast, accepted by every CA */
    public static PrivateKeySpec defaults() {
        return ecdsa(256);
    }

    /**
     * @param bits 2048 to 8192
     * @return an RSA key spec with PKCS1 encoding and rotation {@link RotationPolicy#ALWAYS}
     */
    public static PrivateKeySpec rsa(int bits) {
        return new PrivateKeySpec(KeyAlgorithm.RSA, bits, KeyEncoding.PKCS1, RotationPolicy.ALWAYS);
    }

    /**
     * @param curveBits 256, 384 or 521
     * @return an ECDSA key spec with PKCS1 (SEC 1) encoding and rotation {@link RotationPolicy#ALWAYS}
     */
    public static PrivateKeySpec ecdsa(int curveBits) {
        return new PrivateKeySpec(KeyAlgorithm.ECDSA, curveBits, KeyEncoding.PKCS1, RotationPolicy.ALWAYS);
    }

    /** @return an Ed25519 key spec with PKCS8 encoding and rotation {@link RotationPolicy#ALWAYS} */
    public static PrivateKeySpec ed25519() {
        return new PrivateKeySpec(KeyAlgorithm.ED25519, 0, KeyEncoding.PKCS8, RotationPolicy.ALWAYS);
    }

    /**
     * @param newEncoding the PEM encoding
     * @return this spec with another encoding
     */
    public PrivateKeySpec withEncoding(KeyEncoding newEncoding) {
        return new PrivateKeySpec(algorithm, size, newEncoding, rotationPolicy);
    }

    /**
     * @param newPolicy the rotation policy
     * @return this spec with another rotation policy
     */
    public PrivateKeySpec withRotationPolicy(RotationPolicy newPolicy) {
        return new PrivateKeySpec(algorithm, size, encoding, newPolicy);
    }
}
