package dev.autocert4j.internal.x509;

import dev.autocert4j.PrivateKeySpec;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

/** Key pair generation and matching for {@link PrivateKeySpec}. */
public final class KeyPairs {
    private KeyPairs() {
    }

    /**
     * @param spec the key specification
     * @return a new key pair
     */
    public static KeyPair generate(PrivateKeySpec spec) {
        try {
            switch (spec.algorithm()) {
                case RSA -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(spec.size());
                    return g.generateKeyPair();
                }
                case ECDSA -> {
                    if (spec.size() == 256 && P256.standsInForJdk()) {
                        return P256.generateKeyPair(); // a sixth of SunEC's CPU, same JDK key objects
                    }
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec(switch (spec.size()) {
                        case 521 -> "secp521r1";
                        case 384 -> "secp384r1";
                        default -> "secp256r1";
                    }));
                    return g.generateKeyPair();
                }
                case ED25519 -> {
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                }
                default -> throw new IllegalStateException("unknown algorithm " + spec.algorithm());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot generate " + spec.algorithm() + " keys", e);
        }
    }

    /**
     * @param key a public key
     * @param spec a key specification
     * @return whether the key has the algorithm and size the spec asks for
     */
    public static boolean matches(PublicKey key, PrivateKeySpec spec) {
        return switch (spec.algorithm()) {
            case RSA -> key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() == spec.size();
            case ECDSA -> key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == spec.size();
            case ED25519 -> "Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm());
        };
    }

    /**
     * The digest grows with the key, as cert-manager's {@code signatureAlgorithmFromPublicKey}
     * ({@code pkg/util/pki/csr.go}) chooses it: RSA from 4096 bits SHA-512, from 3072 bits SHA-384,
     * else SHA-256; ECDSA P-521 SHA-512, P-384 SHA-384, P-256 SHA-256.
     *
     * @param key a public key
     * @return the JCA signature algorithm a CSR or certificate signed with its private key uses
     */
    public static String signatureAlgorithm(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return bits >= 4096 ? "SHA512withRSA" : bits >= 3072 ? "SHA384withRSA" : "SHA256withRSA";
        }
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return "Ed25519";
    }
}
