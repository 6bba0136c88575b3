package dev.autocert4j.internal.acme;

import dev.autocert4j.internal.x509.P256;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Signature;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactory;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwa.CryptoPrimitive;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.EcdsaUsingShaAlgorithm;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.InvalidKeyException;
import org.jose4j.lang.JoseException;

/**
 * Makes the JWS signatures of every ACME request with a P-256 account key ({@code ES256}) through
 * {@link P256} instead of the JDK's SunEC: about seven per certificate, the largest client CPU cost
 * of issuance. acme4j signs through jose4j and offers no hook for a provider, so this registers an
 * {@code ES256} implementation in jose4j's algorithm registry, its extension point. That registry is
 * one per JVM: other jose4j users in the process then sign ES256 through it too, with the same
 * result (RFC 7518 ES256, random nonce); whoever names a signature provider in a
 * {@link ProviderContext} still gets that provider. Verification is unchanged.
 */
public final class Es256Signing {
    private Es256Signing() {
    }

    /** Registers the faster ES256 unless it is registered already. */
    public static synchronized void install() {
        AlgorithmFactory<JsonWebSignatureAlgorithm> jws = AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory();
        if (!jws.isAvailable(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256) || !isFast(jws)) {
            jws.registerAlgorithm(new FastEs256());
        }
    }

    private static boolean isFast(AlgorithmFactory<JsonWebSignatureAlgorithm> jws) {
        try {
            return jws.getAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256) instanceof FastEs256;
        } catch (InvalidAlgorithmException e) {
            return false;
        }
    }

    /** jose4j's ES256 (key checks, signature format), with the signature computed by {@link P256}. */
    static final class FastEs256 extends EcdsaUsingShaAlgorithm.EcdsaP256UsingSha256 {
        @Override
        public CryptoPrimitive prepareForSign(Key key, ProviderContext providerContext) throws JoseException {
            String provider = providerContext.getSuppliedKeyProviderContext().getSignatureProvider();
            if (provider != null || !(key instanceof PrivateKey privateKey) || !P256.isP256(key)
                    || !P256.standsInForJdk()) {
                return super.prepareForSign(key, providerContext);
            }
            Signature signature = P256.newSha256WithEcdsa();
            try {
                signature.initSign(privateKey);
            } catch (java.security.InvalidKeyException e) {
                throw new InvalidKeyException("Not a P-256 private key: " + e.getMessage(), e);
            }
            return new CryptoPrimitive(signature);
        }
    }
}
