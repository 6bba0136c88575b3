package dev.autocert4j.internal.x509;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.internal.text.Messages;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Signs a PKCS #10 CSR into an X.509 certificate, as cert-manager's self-signed and CA issuers do:
 * subject and subject alternative names come from the CSR; lifetime, key usages and {@code isCA}
 * from the {@link Certificate} spec. Adds a random positive 128-bit serial, critical basic
 * constraints, a critical key usage, an extended key usage when the spec names one, and subject
 * and authority key identifiers. Stateless and thread-safe.
 */
public final class CertificateSigner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateSigner() {
    }

    /** The CSR could not be used; the message says why and never contains key material. */
    public static final class InvalidCsrException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what is wrong
         * @param cause the underlying failure, may be null
         */
        public InvalidCsrException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Who signs: the issuer's name, its key pair's private half, its public key, and the key
     * identifier to put into the authority key identifier.
     *
     * @param name the issuer's distinguished name (the subject of the signing certificate)
     * @param publicKey the issuer's public key (chooses the signature algorithm)
     * @param privateKey the key that signs
     * @param keyIdentifier the issuer's subject key identifier
     */
    public record Signer(X500Name name, PublicKey publicKey, PrivateKey privateKey, byte[] keyIdentifier) {
        /**
         * Validates the components.
         *
         * @param name see the record description
         * @param publicKey see the record description
         * @param privateKey see the record description
         * @param keyIdentifier see the record description
         */
        public Signer {
            requireNonNull(name, "name");
            requireNonNull(publicKey, "publicKey");
            requireNonNull(privateKey, "privateKey");
            keyIdentifier = requireNonNull(keyIdentifier, "keyIdentifier").clone();
        }

        /** @return a copy of the issuer's key identifier */
        @Override
        public byte[] keyIdentifier() {
            return keyIdentifier.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signer s && name.equals(s.name) && publicKey.equals(s.publicKey)
                    && privateKey.equals(s.privateKey) && Arrays.equals(keyIdentifier, s.keyIdentifier);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + publicKey.hashCode();
        }

        @Override
        public String toString() {
            return "Signer[" + name + ", " + publicKey.getAlgorithm() + "]";
        }
    }

    /**
     * A parsed, signature-checked CSR.
     *
     * @param subject the requested subject (may be empty)
     * @param publicKey the requested public key
     * @param subjectAlternativeNames the requested SANs, if the CSR asks for any
     */
    public record ParsedCsr(X500Name subject, SubjectPublicKeyInfo publicKey, Optional<GeneralNames> subjectAlternativeNames) {
        /**
         * Validates the components.
         *
         * @param subject see the record description
         * @param publicKey see the record description
         * @param subjectAlternativeNames see the record description
         */
        public ParsedCsr {
            requireNonNull(subject, "subject");
            requireNonNull(publicKey, "publicKey");
            requireNonNull(subjectAlternativeNames, "subjectAlternativeNames");
        }

        /**
         * @param key a public key
         * @return whether the CSR requests exactly this key
         */
        public boolean requests(PublicKey key) {
            try {
                return Arrays.equals(publicKey.getEncoded(), key.getEncoded());
            } catch (IOException e) {
                return false;
            }
        }
    }

    /**
     * @param der a DER-encoded PKCS #10 request
     * @return its subject, key and SANs, once its self-signature is checked
     * @throws InvalidCsrException when it does not parse or its signature is wrong
     */
    public static ParsedCsr parse(byte[] der) throws InvalidCsrException {
        requireNonNull(der, "der");
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("the CSR is not a DER-encoded PKCS #10 request", e);
        }
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey(csr.getSubjectPublicKeyInfo())))) {
                throw new InvalidCsrException("the CSR's signature does not verify with the key it requests", null);
            }
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException | IOException | RuntimeException e) {
            throw new InvalidCsrException("the CSR's signature cannot be checked: " + Messages.describe(e), e);
        }
        Optional<GeneralNames> sans = Optional.empty();
        for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (var value : attribute.getAttributeValues()) {
                Extensions extensions = Extensions.getInstance(value);
                GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (names != null) {
                    sans = Optional.of(names);
                }
            }
        }
        return new ParsedCsr(csr.getSubject(), csr.getSubjectPublicKeyInfo(), sans);
    }

    /** The JDK's providers find key factories by name, not by OID: map the three algorithms we issue for. */
    private static PublicKey publicKey(SubjectPublicKeyInfo info) throws GeneralSecurityException, IOException {
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        String name;
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            name = "RSA";
        } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            name = "EC";
        } else if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
            name = "Ed25519";
        } else {
            throw new GeneralSecurityException("unsupported key algorithm " + algorithm.getId() + ": use RSA, ECDSA or Ed25519");
        }
        return KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    }

    /**
     * @param publicKey a public key
     * @return its subject key identifier (RFC 5280 method 1: SHA-1 of the subjectPublicKey bits)
     */
    public static byte[] keyIdentifier(PublicKey publicKey) {
        return extensionUtils().createSubjectKeyIdentifier(SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()))
                .getKeyIdentifier();
    }

    /**
     * @param certificate a certificate
     * @return its subject key identifier extension, or one computed from its key when it has none
     */
    public static byte[] keyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
        }
        return keyIdentifier(certificate.getPublicKey());
    }

    /** @return a random positive serial of at most 128 bits, as cert-manager draws them */
    private static BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    /**
     * How far notBefore lies before the issuance, as Let's Encrypt does: a client whose clock is
     * behind still accepts a certificate fresh from the issuer.
     */
    public static final java.time.Duration BACKDATE = java.time.Duration.ofHours(1);

    /**
     * Signs a certificate.
     *
     * @param spec the certificate spec: duration, usages and isCA
     * @param csr the parsed CSR: subject, key and SANs
     * @param signer who signs
     * @param now the issuance time: notBefore is {@link #BACKDATE} earlier (whole seconds), notAfter
     *     {@code now + duration}
     * @param notAfterCap the latest notAfter allowed (the signing CA's own notAfter), if any
     * @return the signed certificate
     * @throws GeneralSecurityException when signing fails
     */
    public static X509Certificate sign(Certificate spec, ParsedCsr csr, Signer signer, Instant now,
            Optional<Instant> notAfterCap) throws GeneralSecurityException {
        Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
        Instant notBefore = issued.minus(BACKDATE);
        Instant notAfter = issued.plus(spec.duration());
        if (notAfterCap.isPresent() && notAfter.isAfter(notAfterCap.get())) {
            notAfter = notAfterCap.get();
        }
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(signer.name(), serial(), Date.from(notBefore),
                Date.from(notAfter), csr.subject(), csr.publicKey());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.isCA()));
            int keyUsage = keyUsageBits(spec);
            if (keyUsage != 0) {
                builder.addExtension(Extension.keyUsage, true, new org.bouncycastle.asn1.x509.KeyUsage(keyUsage));
            }
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (spec.usages().contains(KeyUsage.SERVER_AUTH)) {
                purposes.add(KeyPurposeId.id_kp_serverAuth);
            }
            if (spec.usages().contains(KeyUsage.CLIENT_AUTH)) {
                purposes.add(KeyPurposeId.id_kp_clientAuth);
            }
            if (!purposes.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            }
            if (csr.subjectAlternativeNames().isPresent()) {
                // RFC 5280 4.2.1.6: critical when the subject is empty.
                builder.addExtension(Extension.subjectAlternativeName, csr.subject().getRDNs().length == 0,
                        csr.subjectAlternativeNames().get());
            }
            JcaX509ExtensionUtils utils = extensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(csr.publicKey()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(signer.keyIdentifier()));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot encode an extension: " + Messages.describe(e), e);
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(signer.publicKey())).build(signer.privateKey())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with the " + signer.publicKey().getAlgorithm() + " key: "
                    + Messages.describe(e), e);
        }
    }

    private static int keyUsageBits(Certificate spec) {
        int bits = 0;
        for (KeyUsage usage : spec.usages()) {
            bits |= switch (usage) {
                case DIGITAL_SIGNATURE -> org.bouncycastle.asn1.x509.KeyUsage.digitalSignature;
                case KEY_ENCIPHERMENT -> org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment;
                case CERT_SIGN -> org.bouncycastle.asn1.x509.KeyUsage.keyCertSign;
                case CRL_SIGN -> org.bouncycastle.asn1.x509.KeyUsage.cRLSign;
                case SERVER_AUTH, CLIENT_AUTH -> 0;
            };
        }
        if (spec.isCA()) {
            // As cert-manager: a CA certificate can always sign certificates.
            bits |= org.bouncycastle.asn1.x509.KeyUsage.keyCertSign;
        }
        return bits;
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
