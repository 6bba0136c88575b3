package dev.autocert4j.internal.x509;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made as cert-manager's {@code parse_certificate_chain_test.go mustCreateBundle} makes them: P-256,
 * {@code CA:TRUE}, key usages keyEncipherment, digitalSignature and certSign, valid for a minute; without an issuer,
 * self-signed.
 */
public final class ChainCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(1);

    /**
     * @param certificate the certificate
     * @param key its key pair
     */
    public record Issued(X509Certificate certificate, KeyPair key) {
    }

    private ChainCertificates() {
    }

    /**
     * @param issuer the signer, or null for a self-signed certificate
     * @param commonName the subject's common name
     * @return the new certificate and its key
     */
    public static Issued ca(Issued issuer, String commonName) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer == null ? subject : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(now), Date.from(now.plusSeconds(60)), subject,
                key.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.keyEncipherment | KeyUsage.digitalSignature | KeyUsage.keyCertSign));
        KeyPair signer = issuer == null ? key : issuer.key();
        return new Issued(new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()))), key);
    }
}
