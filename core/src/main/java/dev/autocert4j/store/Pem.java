package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.KeyEncoding;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM encoding and decoding of certificate chains and private keys, on BouncyCastle: the one codec that the
 * file store, the Kubernetes Secret store and the manifest reader use, published for stores of your own.
 *
 * <pre>{@code
 * String crt = Pem.encodeChain(stored.chain());
 * String key = Pem.encodePrivateKey(stored.keyPair().getPrivate(), KeyEncoding.PKCS8);
 * List<X509Certificate> chain = Pem.decodeChain(crt);
 * KeyPair pair = Pem.decodeKeyPair(key);
 * boolean same = Pem.keyMatches(pair.getPrivate(), chain.get(0));
 * }</pre>
 *
 * <p>Keys are written as {@code RSA PRIVATE KEY} (PKCS #1), {@code EC PRIVATE KEY} (SEC 1, with
 * the named curve and the public key) or {@code PRIVATE KEY} (PKCS #8). Reading accepts all three
 * for RSA, ECDSA (named curves) and Ed25519, derives the public key from the private key, and
 * returns keys of the JDK's own providers in their canonical encoding, so a key read back equals
 * the key that was written when both come from the JDK.
 *
 * <p>Failures never include key material. Stateless and thread-safe.
 */
public final class Pem {
    private Pem() {
    }

    /**
     * The content is not what was expected: not PEM, truncated, or an unsupported object. The
     * message never contains key material.
     */
    public static final class InvalidPemException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what is wrong
         * @param cause the underlying failure, may be null
         */
        public InvalidPemException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param chain certificates, leaf first
     * @return one {@code CERTIFICATE} block per certificate, in order
     */
    public static String encodeChain(List<X509Certificate> chain) {
        requireNonNull(chain, "chain");
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : chain) {
                writer.writeObject(requireNonNull(certificate, "certificate"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PEM encoding of a certificate failed", e);
        }
        return out.toString();
    }

    /**
     * @param pem one or more {@code CERTIFICATE} blocks
     * @return the certificates in the order found
     * @throws InvalidPemException when the text is not PEM, is truncated, holds something other
     *     than certificates, or holds none
     */
    public static List<X509Certificate> decodeChain(String pem) throws InvalidPemException {
        requireNonNull(pem, "pem");
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new InvalidPemException("expected only CERTIFICATE blocks, found " + describe(object)
                            + ": give only the certificates (tls.crt), leaf first", null);
                }
                chain.add(converter.getCertificate(holder));
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new InvalidPemException("not a valid PEM certificate chain (" + safeMessage(e)
                    + "): give the complete PEM text, every block from its -----BEGIN to its -----END line", e);
        }
        if (chain.isEmpty()) {
            throw new InvalidPemException("no CERTIFICATE block found: give PEM text with blocks that start with "
                    + "-----BEGIN CERTIFICATE-----", null);
        }
        return List.copyOf(chain);
    }

    /**
     * @param privateKey an RSA, EC or Ed25519 private key
     * @param encoding {@link KeyEncoding#PKCS1} ({@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY})
     *     or {@link KeyEncoding#PKCS8} ({@code PRIVATE KEY})
     * @return one PEM block
     * @throws IllegalArgumentException for PKCS1 with a key that is neither RSA nor EC, or a key
     *     that cannot be encoded
     */
    public static String encodePrivateKey(PrivateKey privateKey, KeyEncoding encoding) {
        requireNonNull(privateKey, "privateKey");
        requireNonNull(encoding, "encoding");
        byte[] pkcs8 = privateKey.getEncoded();
        if (pkcs8 == null) {
            throw new IllegalArgumentException("the " + privateKey.getAlgorithm()
                    + " private key cannot be exported (it has no encoding): use an exportable key");
        }
        PemObject pemObject;
        if (encoding == KeyEncoding.PKCS8) {
            pemObject = new PemObject("PRIVATE KEY", pkcs8);
        } else {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
            ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
            try {
                if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
                    pemObject = new PemObject("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
                } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
                    pemObject = new PemObject("EC PRIVATE KEY", sec1(info).getEncoded());
                } else {
                    throw new IllegalArgumentException("PKCS1 encoding holds only RSA and EC keys, not "
                            + privateKey.getAlgorithm() + ": use PKCS8");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("the " + privateKey.getAlgorithm() + " private key cannot be encoded", e);
            }
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(pemObject);
        } catch (IOException e) {
            throw new UncheckedIOException("PEM encoding of a private key failed", e);
        }
        return out.toString();
    }

    /**
     * Reads one private key and derives its public key.
     *
     * @param pem one {@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY} or {@code PRIVATE KEY} block
     * @return the key pair
     * @throws InvalidPemException when the text is not PEM, is truncated, is encrypted, holds no
     *     key or more than one object, or holds a key of an unsupported algorithm
     */
    public static KeyPair decodeKeyPair(String pem) throws InvalidPemException {
        requireNonNull(pem, "pem");
        PrivateKeyInfo info;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new InvalidPemException("no private key block found: give PEM text that starts with "
                        + "-----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY)", null);
            }
            if (object instanceof PEMKeyPair keyPair) {
                info = keyPair.getPrivateKeyInfo();
            } else if (object instanceof PrivateKeyInfo privateKeyInfo) {
                info = privateKeyInfo;
            } else {
                throw new InvalidPemException("expected an unencrypted private key, found " + describe(object)
                        + (object.getClass().getSimpleName().contains("Encrypted")
                                ? ": decrypt it first, e.g. openssl pkey -in key.pem -out plain.pem"
                                : ": give the private key (tls.key), a PRIVATE KEY block"), null);
            }
            if (parser.readObject() != null) {
                throw new InvalidPemException("expected one private key block, found more than one object", null);
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidPemException("not a valid PEM private key (" + safeMessage(e)
                    + "): give the complete PEM text, from its -----BEGIN to its -----END line", e);
        }
        try {
            return toKeyPair(info);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new InvalidPemException("the private key cannot be read: " + safeMessage(e), e);
        }
    }

    /**
     * Whether a private key belongs to a certificate: a test signature made with the key is checked with the
     * certificate's public key, so it works for keys from any provider and any encoding (PKCS #8 holds no
     * public key to compare).
     *
     * @param privateKey an RSA, EC or Ed25519 private key
     * @param certificate the certificate, usually a chain's leaf
     * @return true when the certificate's public key verifies what the private key signs
     */
    public static boolean keyMatches(PrivateKey privateKey, X509Certificate certificate) {
        requireNonNull(privateKey, "privateKey");
        requireNonNull(certificate, "certificate");
        PublicKey publicKey = certificate.getPublicKey();
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())
                && !(isEc(privateKey.getAlgorithm()) && isEc(publicKey.getAlgorithm()))) {
            return false;
        }
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> privateKey.getAlgorithm();
        };
        try {
            byte[] probe = "autocert4j key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isEc(String algorithm) {
        return "EC".equals(algorithm) || "ECDSA".equals(algorithm);
    }

    private static KeyPair toKeyPair(PrivateKeyInfo info) throws GeneralSecurityException, IOException, InvalidPemException {
        AlgorithmIdentifier algorithmId = info.getPrivateKeyAlgorithm();
        ASN1ObjectIdentifier algorithm = algorithmId.getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            RSAPrivateKey rsa = RSAPrivateKey.getInstance(info.parsePrivateKey());
            KeyFactory factory = KeyFactory.getInstance("RSA");
            PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            PrivateKey privateKey = factory.generatePrivate(new RSAPrivateCrtKeySpec(rsa.getModulus(),
                    rsa.getPublicExponent(), rsa.getPrivateExponent(), rsa.getPrime1(), rsa.getPrime2(),
                    rsa.getExponent1(), rsa.getExponent2(), rsa.getCoefficient()));
            return new KeyPair(publicKey, privateKey);
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            ECPrivateKey ec = ECPrivateKey.getInstance(info.parsePrivateKey());
            ASN1ObjectIdentifier curve = namedCurve(algorithmId, ec);
            X9ECParameters parameters = ECNamedCurveTable.getByOID(curve);
            if (parameters == null) {
                throw new InvalidPemException("unsupported elliptic curve " + curve, null);
            }
            BigInteger d = ec.getKey();
            ECPoint q = parameters.getG().multiply(d).normalize();
            SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), q.getEncoded(false));
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
            PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(d, publicKey.getParams()));
            return new KeyPair(publicKey, privateKey);
        }
        if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
            byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            Ed25519PrivateKeyParameters parameters = new Ed25519PrivateKeyParameters(seed, 0);
            SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), parameters.generatePublicKey().getEncoded());
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
            PrivateKey privateKey = factory.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            return new KeyPair(publicKey, privateKey);
        }
        throw new InvalidPemException("unsupported private key algorithm " + algorithm.getId()
                + ": use RSA, ECDSA or Ed25519", null);
    }

    /** SEC 1 {@code ECPrivateKey} with the named curve and the public key, as OpenSSL writes it. */
    private static ECPrivateKey sec1(PrivateKeyInfo info) throws IOException {
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ASN1ObjectIdentifier curve;
        try {
            curve = namedCurve(info.getPrivateKeyAlgorithm(), inner);
        } catch (InvalidPemException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        X9ECParameters parameters = ECNamedCurveTable.getByOID(curve);
        if (parameters == null) {
            throw new IllegalArgumentException("unsupported elliptic curve " + curve);
        }
        BigInteger d = inner.getKey();
        byte[] publicPoint = parameters.getG().multiply(d).normalize().getEncoded(false);
        return new ECPrivateKey(parameters.getN().bitLength(), d,
                new org.bouncycastle.asn1.DERBitString(publicPoint), curve);
    }

    private static ASN1ObjectIdentifier namedCurve(AlgorithmIdentifier algorithmId, ECPrivateKey inner)
            throws InvalidPemException {
        Object parameters = algorithmId.getParameters();
        if (parameters == null || parameters instanceof org.bouncycastle.asn1.ASN1Null) {
            parameters = inner.getParametersObject();
        }
        if (parameters != null) {
            X962Parameters x962 = X962Parameters.getInstance(parameters);
            if (x962.isNamedCurve()) {
                return ASN1ObjectIdentifier.getInstance(x962.getParameters());
            }
        }
        throw new InvalidPemException("the EC key does not name its curve: only named curves (P-256, P-384, P-521) are supported",
                null);
    }

    /** What a parsed PEM object is, in words a user recognises. */
    private static String describe(Object object) {
        String type = object.getClass().getSimpleName();
        return switch (type) {
            case "X509CertificateHolder" -> "a certificate";
            case "PEMKeyPair", "PrivateKeyInfo" -> "a private key";
            case "PEMEncryptedKeyPair", "PKCS8EncryptedPrivateKeyInfo" -> "an encrypted private key";
            case "SubjectPublicKeyInfo" -> "a public key";
            case "PKCS10CertificationRequest" -> "a certificate request (CSR)";
            default -> type;
        };
    }

    /** Exception messages of the parsers name structures, never key bytes; still, keep them short. */
    private static String safeMessage(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
