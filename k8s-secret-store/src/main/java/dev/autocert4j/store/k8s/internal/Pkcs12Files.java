package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.Pkcs12Profile;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.CertBag;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.RC2Engine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.util.PBKDF2Config;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12PBEOutputEncryptorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * PKCS#12 files laid out as cert-manager writes them with go-pkcs12 ({@code
 * pkg/controller/certificates/issuing/internal/keystore.go}, go-pkcs12 {@code Encoder.Encode} and
 * {@code EncodeTrustStore}), built with BouncyCastle's PKCS#12 builder. Stateless.
 */
final class Pkcs12Files {
    /** Java's trusted-certificate attribute: the extended key usages the anchor is trusted for. */
    private static final ASN1ObjectIdentifier JAVA_TRUSTED_KEY_USAGE = new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");
    /** go-pkcs12's KDF iterations for the encryption keys (and the Modern2023 MAC key). */
    private static final int ITERATIONS = 2048;
    /** Only for PBES2's AES and PBKDF2; not registered with the JVM. */
    private static final Provider BC = new BouncyCastleProvider();

    private Pkcs12Files() {
    }

    /**
     * go-pkcs12's {@code Encode}: one encrypted SafeContents with the leaf's certificate bag (attribute
     * {@code localKeyId} = SHA-1 of the leaf) followed by a bag per CA certificate (no attributes), and one
     * plain SafeContents with the shrouded key bag (the same {@code localKeyId}). No friendly names, so Java
     * names the key entry {@code 1}.
     *
     * @param chain leaf first; the rest goes in as CA certificates, as cert-manager prepends it to {@code ca.crt}
     * @param cas the certificates of {@code ca.crt}, none if unknown
     * @return the DER file
     */
    static byte[] keystore(Pkcs12Profile profile, PrivateKey key, List<X509Certificate> chain, List<X509Certificate> cas,
            char[] password) throws IOException, OperatorCreationException, PKCSException, CertificateEncodingException {
        X509Certificate leaf = chain.get(0);
        DEROctetString localKeyId = new DEROctetString(sha1(leaf.getEncoded()));
        List<PKCS12SafeBag> certificates = new ArrayList<>();
        PKCS12SafeBagBuilder leafBag = new JcaPKCS12SafeBagBuilder(leaf);
        leafBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
        certificates.add(leafBag.build());
        List<X509Certificate> others = new ArrayList<>(chain.subList(1, chain.size()));
        others.addAll(cas);
        for (X509Certificate ca : others) {
            // Without an attribute set, as Go omits an empty one; BouncyCastle's bag builder would write it empty.
            certificates.add(new PKCS12SafeBag(new SafeBag(PKCSObjectIdentifiers.certBag,
                    new CertBag(PKCSObjectIdentifiers.x509Certificate, new DEROctetString(ca.getEncoded())))));
        }
        PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(key, keyEncryptor(profile, password));
        keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
        return new PKCS12PfxPduBuilder()
                .addEncryptedData(certificateEncryptor(profile, password), certificates.toArray(new PKCS12SafeBag[0]))
                .addData(keyBag.build())
                .build(mac(profile), password).getEncoded(ASN1Encoding.DER);
    }

    /**
     * go-pkcs12's {@code EncodeTrustStore}: one encrypted SafeContents with a certificate bag per CA, each
     * with Java's trusted-key-usage attribute (any extended key usage) and the certificate's subject in Go's
     * form as friendly name.
     *
     * @param cas the certificates of {@code ca.crt}
     * @return the DER file
     */
    static byte[] truststore(Pkcs12Profile profile, List<X509Certificate> cas, char[] password)
            throws IOException, OperatorCreationException, PKCSException {
        List<PKCS12SafeBag> certificates = new ArrayList<>();
        for (X509Certificate ca : cas) {
            PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(ca);
            bag.addBagAttribute(JAVA_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage.toOID());
            bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName,
                    new DERBMPString(GoSubjectName.of(ca.getSubjectX500Principal())));
            certificates.add(bag.build());
        }
        return new PKCS12PfxPduBuilder()
                .addEncryptedData(certificateEncryptor(profile, password), certificates.toArray(new PKCS12SafeBag[0]))
                .build(mac(profile), password).getEncoded(ASN1Encoding.DER);
    }

    private static OutputEncryptor certificateEncryptor(Pkcs12Profile profile, char[] password)
            throws OperatorCreationException {
        return switch (profile) {
            case LEGACY_RC2 -> new BcPKCS12PBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd40BitRC2_CBC,
                    CBCBlockCipher.newInstance(new RC2Engine())).setIterationCount(ITERATIONS).build(password);
            case LEGACY_DES -> tripleDes(password);
            case MODERN_2023 -> pbes2(password);
        };
    }

    private static OutputEncryptor keyEncryptor(Pkcs12Profile profile, char[] password) throws OperatorCreationException {
        return profile == Pkcs12Profile.MODERN_2023 ? pbes2(password) : tripleDes(password);
    }

    private static OutputEncryptor tripleDes(char[] password) {
        return new BcPKCS12PBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC,
                CBCBlockCipher.newInstance(new DESedeEngine())).setIterationCount(ITERATIONS).build(password);
    }

    /** PBES2: PBKDF2-HMAC-SHA-256, 2048 iterations, 16 bytes of salt, AES-256-CBC; as go-pkcs12's Modern2023. */
    private static OutputEncryptor pbes2(char[] password) throws OperatorCreationException {
        PBKDF2Config kdf = new PBKDF2Config.Builder().withPRF(PBKDF2Config.PRF_SHA256).withIterationCount(ITERATIONS)
                .withSaltLength(16).build();
        return new JcePKCSPBEOutputEncryptorBuilder(kdf, NISTObjectIdentifiers.id_aes256_CBC).setProvider(BC).build(password);
    }

    private static PKCS12MacCalculatorBuilder mac(Pkcs12Profile profile) {
        return profile == Pkcs12Profile.MODERN_2023
                ? new BcPKCS12MacCalculatorBuilder(SHA256Digest.newInstance(),
                        new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE)).setIterationCount(ITERATIONS)
                : new BcPKCS12MacCalculatorBuilder(new SHA1Digest(),
                        new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1, DERNull.INSTANCE)).setIterationCount(1);
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
