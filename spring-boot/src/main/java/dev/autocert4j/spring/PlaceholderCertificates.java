package dev.autocert4j.spring;

import dev.autocert4j.Certificate;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the self-signed placeholder served until a certificate's first issuance ({@link StartupMode#PLACEHOLDER}):
 * a fresh P-256 key, subject {@code CN=autocert4j placeholder for <name>}, the certificate's DNS names, valid
 * for {@link #VALIDITY}. It lives only in memory and is never stored, so nothing mistakes it for an issued
 * certificate. Thread-safe.
 */
final class PlaceholderCertificates {
    /** Short: a placeholder only bridges the time until the first issuance. */
    static final Duration VALIDITY = Duration.ofDays(1);
    /** The start of every placeholder's subject common name. */
    static final String COMMON_NAME_PREFIX = "autocert4j placeholder for ";

    private static final SecureRandom RANDOM = new SecureRandom();

    private PlaceholderCertificates() {
    }

    /**
     * @param certificate the managed certificate that is not issued yet
     * @param now the time the placeholder becomes valid
     * @return the placeholder with its key
     */
    static Placeholder placeholder(Certificate certificate, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, COMMON_NAME_PREFIX + certificate.name()).build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, RANDOM).setBit(0), Date.from(now.minus(Duration.ofMinutes(1))),
                    Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            List<String> names = certificate.dnsNames();
            if (!names.isEmpty()) {
                GeneralName[] sans = names.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            X509Certificate leaf = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new Placeholder(keys, leaf);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make the placeholder certificate for " + certificate.id() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A placeholder certificate and its key pair; {@code toString()} shows no key.
     *
     * @param keyPair the key pair
     * @param certificate the self-signed certificate
     */
    record Placeholder(KeyPair keyPair, X509Certificate certificate) {
        @Override
        public String toString() {
            return "Placeholder[" + certificate.getSubjectX500Principal().getName() + ", serial "
                    + certificate.getSerialNumber().toString(16) + "]";
        }
    }
}
