package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** {@code ca.secretName} read through the SecretResolver: {@code tls.crt} and {@code tls.key} of a Secret. */
class CaSecretTest {
    static final String ISSUER = """
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: internal
              namespace: prod
            spec:
              ca:
                secretName: root-ca
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: api
              namespace: prod
            spec:
              secretName: api-tls
              issuerRef:
                name: internal
              dnsNames: [api.prod.svc]
            """;

    static KeyPair ecKey() throws Exception {
        // BouncyCastle's keys write SEC 1 with the named curve, as openssl and cert-manager do
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
        g.initialize(256);
        return g.generateKeyPair();
    }

    static X509Certificate ca(KeyPair key) throws Exception {
        X500Name name = new X500Name("CN=Example Root");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(365))), name, key.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    /** PKCS#8, as cert-manager writes with encoding PKCS8 and as openssl genpkey does. */
    static String pkcs8(KeyPair key) throws Exception {
        return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key.getPrivate(), null));
    }

    static ManifestOptions secrets(String crt, String key) {
        Map<SecretRef, String> data = Map.of(new SecretRef("prod", "root-ca", "tls.crt"), crt, new SecretRef("prod", "root-ca", "tls.key"), key);
        return ManifestOptions.builder().secrets(ref -> Optional.ofNullable(data.get(ref))).build();
    }

    @Test
    void signsWithTheCaFromTheSecretInPkcs8AndSec1() throws Exception {
        KeyPair key = ecKey();
        X509Certificate ca = ca(key);
        for (String keyPem : new String[] {pkcs8(key), pem(key.getPrivate())}) {
            Manifests m;
            try {
                m = Manifests.parse(ISSUER, "ca.yaml", secrets(pem(ca), keyPem));
            } catch (ManifestException e) {
                throw new AssertionError("with key " + keyPem.lines().findFirst().orElseThrow() + ": " + e.getMessage(), e);
            }
            assertThat(m.issuers()).singleElement().isInstanceOf(CaIssuer.class);
            Certificate api = m.certificate("prod", "api").orElseThrow();

            StoredCertificate issued;
            try (CertificateManager manager = m.applyTo(CertificateManager.builder()).store(new InMemoryCertificateStore()).build()) {
                issued = manager.obtain(api);
            }

            assertThat(issued.leaf().getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
            issued.leaf().verify(ca.getPublicKey());
        }
    }

    @Test
    void refusesAKeyThatIsNotTheCertificatesWithoutPrintingIt() throws Exception {
        KeyPair key = ecKey();
        String otherKey = pkcs8(ecKey());

        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(ISSUER, "ca.yaml", secrets(pem(ca(key)), otherKey)));

        assertThat(e.field()).isEqualTo("spec.ca.secretName");
        assertThat(e.problem()).contains("secret prod/root-ca").contains("tls.key does not belong to the certificate in tls.crt");
        assertThat(e.getMessage()).doesNotContain(otherKey.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void refusesAKeyThatIsNotPem() throws Exception {
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(ISSUER, "ca.yaml", secrets(pem(ca(ecKey())), "c2VjcmV0")));

        assertThat(e.problem()).contains("tls.key is not a PEM private key").doesNotContain("c2VjcmV0");
    }
}
