package dev.autocert4j.testing;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.StoredCertificate;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests: a {@link Certificate} spec, key pairs of every supported kind, and
 * chains (leaf, then a test CA) signed by a throw-away CA, so that store tests need no ACME
 * server. Keys come from the JDK's providers. Thread-safe.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final Object CA_LOCK = new Object();
    private static KeyPair caKey;
    private static X509Certificate caCertificate;

    private TestCertificates() {
    }

    /**
     * @param namespace the certificate's namespace
     * @param name the certificate's name
     * @param spec the private key spec
     * @param dnsNames at least one DNS name
     * @return a certificate spec issued by the cluster issuer {@code test-issuer}
     */
    public static Certificate certificate(String namespace, String name, PrivateKeySpec spec, String... dnsNames) {
        return Certificate.builder(name).namespace(namespace).issuerRef(IssuerRef.clusterIssuer("test-issuer"))
                .privateKey(spec).dnsNames(dnsNames).build();
    }

    /**
     * @param namespace the certificate's namespace
     * @param name the certificate's name
     * @param dnsNames at least one DNS name
     * @return a certificate spec with the default key (ECDSA P-256), issued by {@code test-issuer}
     */
    public static Certificate certificate(String namespace, String name, String... dnsNames) {
        return certificate(namespace, name, PrivateKeySpec.defaults(), dnsNames);
    }

    /**
     * @param spec the key algorithm and size
     * @return a new key pair from the JDK's providers
     */
    public static KeyPair keyPair(PrivateKeySpec spec) {
        requireNonNull(spec, "spec");
        try {
            switch (spec.algorithm()) {
                case RSA -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(spec.size());
                    return generator.generateKeyPair();
                }
                case ECDSA -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec(spec.size() == 384 ? "secp384r1" : "secp256r1"));
                    return generator.generateKeyPair();
                }
                default -> {
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate " + spec.algorithm() + " keys", e);
        }
    }

    /**
     * Issues a certificate for the spec's DNS names with a new key of the spec's kind.
     *
     * @param certificate the spec
     * @param revision the revision to put into the metadata (1 or more)
     * @return the chain (leaf, test CA), key pair and metadata, as a store holds them
     */
    public static StoredCertificate issue(Certificate certificate, int revision) {
        requireNonNull(certificate, "certificate");
        KeyPair key = keyPair(certificate.privateKey());
        return new StoredCertificate(chain(key, certificate.dnsNames()),
                key, new CertificateMetadata(certificate.specFingerprint(), "test-issuer", revision, Instant.now()));
    }

    /**
     * @param leafKey the leaf's key pair
     * @param dnsNames the leaf's DNS names; the first is also its common name
     * @return the leaf, valid for 90 days, followed by the test CA that signed it
     */
    public static List<X509Certificate> chain(KeyPair leafKey, List<String> dnsNames) {
        requireNonNull(leafKey, "leafKey");
        requireNonNull(dnsNames, "dnsNames");
        if (dnsNames.isEmpty()) {
            throw new IllegalArgumentException("dnsNames must hold at least one name");
        }
        synchronized (CA_LOCK) {
            if (caKey == null) {
                caKey = keyPair(PrivateKeySpec.ecdsa(256));
                X500Name caName = new X500Name("CN=autocert4j test CA");
                caCertificate = sign(caName, caName, caKey.getPublic(), null, true);
            }
        }
        GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
        X509Certificate leaf = sign(new X500Name("CN=autocert4j test CA"), new X500Name("CN=" + dnsNames.get(0)),
                leafKey.getPublic(), new GeneralNames(names), false);
        return List.of(leaf, caCertificate);
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, java.security.PublicKey publicKey,
            GeneralNames subjectAltNames, boolean ca) {
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(90))), subject, publicKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (subjectAltNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        } catch (CertIOException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }
}
