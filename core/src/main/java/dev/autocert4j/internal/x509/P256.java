package dev.autocert4j.internal.x509;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.operator.ContentSigner;

/**
 * ECDSA P-256 key pairs and SHA-256 signatures computed with BouncyCastle's lightweight API (its
 * dedicated P-256 field arithmetic and fixed-point comb multiplier): a sixth to a tenth of the CPU
 * of the JDK 17 SunEC provider per signature and per key pair (benchmarks' {@code SigningCpuMain}). Issuance signs
 * about seven JWS requests, one CSR and makes one key pair per certificate, so this was the largest
 * client cost. No JCA provider is registered or constructed (BouncyCastle's provider costs hundreds
 * of milliseconds at start); keys go in and come out as the JDK's own key objects, so stores, TLS
 * and everything else see what they saw before. The nonce {@code k} is random from
 * {@link SecureRandom}, as SunEC's.
 */
public final class P256 {
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CustomNamedCurves.getByName("secp256r1"));
    private static final ECParameterSpec JDK_PARAMS = jdkParams();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile ProviderCheck lastCheck;

    private P256() {
    }

    /**
     * @param key any key
     * @return whether it is an EC key on NIST P-256 (secp256r1), not merely a 256-bit curve
     */
    public static boolean isP256(Key key) {
        if (!(key instanceof ECKey ec)) {
            return false;
        }
        ECParameterSpec p = ec.getParams();
        return p != null && p.getCurve().equals(JDK_PARAMS.getCurve()) && p.getGenerator().equals(JDK_PARAMS.getGenerator())
                && p.getOrder().equals(JDK_PARAMS.getOrder());
    }

    /**
     * @return whether this path may stand in for the JCA: only while the JDK's own SunEC is the
     *     preferred provider of P-256 signatures and key pairs. A user who installed a provider ahead
     *     of it (a FIPS module, an HSM's) gets that provider, as before.
     */
    public static boolean standsInForJdk() {
        java.security.Provider[] installed = java.security.Security.getProviders(); // a copy of the list: cheap
        ProviderCheck check = lastCheck;
        if (check == null || !check.isFor(installed)) {
            check = new ProviderCheck(installed,
                    preferredIsSunEc("Signature.SHA256withECDSA") && preferredIsSunEc("KeyPairGenerator.EC"));
            lastCheck = check;
        }
        return check.standsIn();
    }

    private static boolean preferredIsSunEc(String service) {
        java.security.Provider[] providers = java.security.Security.getProviders(service);
        return providers != null && providers.length > 0 && "SunEC".equals(providers[0].getName());
    }

    /**
     * The answer for one list of installed providers: asking the JCA which provider is preferred
     * costs about 40 µs, half a P-256 signature, so it is asked again only when the list changed.
     */
    private record ProviderCheck(java.security.Provider[] installed, boolean standsIn) {
        boolean isFor(java.security.Provider[] now) {
            if (now.length != installed.length) {
                return false;
            }
            for (int i = 0; i < now.length; i++) {
                if (now[i] != installed[i]) { // identity: Provider.equals compares every property
                    return false;
                }
            }
            return true;
        }
    }

    /** @return a new P-256 key pair as the JDK's key objects */
    public static KeyPair generateKeyPair() {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(DOMAIN, RANDOM));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        org.bouncycastle.math.ec.ECPoint q = ((ECPublicKeyParameters) pair.getPublic()).getQ().normalize();
        BigInteger d = ((ECPrivateKeyParameters) pair.getPrivate()).getD();
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            PublicKey publicKey = factory.generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), JDK_PARAMS));
            PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(d, JDK_PARAMS));
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot represent P-256 keys", e);
        }
    }

    /**
     * @return an unregistered {@link Signature} for {@code SHA256withECDSA} that signs (only) with a
     *     P-256 private key and returns the DER form the JCA's signatures return
     */
    public static Signature newSha256WithEcdsa() {
        return new Sha256WithEcdsa();
    }

    /**
     * @param key a P-256 private key
     * @return a CSR or certificate signer for {@code ecdsa-with-SHA256}
     * @throws InvalidKeyException when the key is not a P-256 private key
     */
    public static ContentSigner contentSigner(PrivateKey key) throws InvalidKeyException {
        Signature signature = newSha256WithEcdsa();
        signature.initSign(key);
        ByteArrayOutputStream signed = new ByteArrayOutputStream(512);
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return signed;
            }

            @Override
            public byte[] getSignature() {
                try {
                    signature.update(signed.toByteArray());
                    return signature.sign();
                } catch (SignatureException e) {
                    throw new IllegalStateException("Could not sign with ECDSA P-256", e);
                }
            }
        };
    }

    private static ECParameterSpec jdkParams() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM does not know the curve secp256r1", e);
        }
    }

    /** SHA-256 with ECDSA over P-256, signing only; not registered with any provider. */
    private static final class Sha256WithEcdsa extends Signature {
        private final MessageDigest digest = sha256();
        private ECPrivateKeyParameters key;

        Sha256WithEcdsa() {
            super("SHA256withECDSA");
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            if (!(privateKey instanceof ECPrivateKey ec) || !isP256(ec)) {
                throw new InvalidKeyException("Not an ECDSA P-256 private key: this signer only signs with P-256 keys");
            }
            key = new ECPrivateKeyParameters(ec.getS(), DOMAIN);
            digest.reset();
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            throw new InvalidKeyException("This signer only signs: verify with Signature.getInstance(\"SHA256withECDSA\")");
        }

        @Override
        protected void engineUpdate(byte b) {
            digest.update(b);
        }

        @Override
        protected void engineUpdate(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            if (key == null) {
                throw new SignatureException("Not initialised for signing");
            }
            ECDSASigner signer = new ECDSASigner();
            signer.init(true, new ParametersWithRandom(key, RANDOM));
            BigInteger[] rs = signer.generateSignature(digest.digest());
            try {
                return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])}).getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new SignatureException("Could not encode the ECDSA signature", e);
            }
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            throw new SignatureException("This signer only signs");
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("No parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("No parameters");
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("This JVM has no SHA-256", e);
            }
        }
    }
}
