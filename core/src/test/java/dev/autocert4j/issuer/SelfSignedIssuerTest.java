package dev.autocert4j.issuer;

import static dev.autocert4j.issuer.IssuerTestSupport.NOW;
import static dev.autocert4j.issuer.IssuerTestSupport.context;
import static dev.autocert4j.issuer.IssuerTestSupport.leaf;
import static dev.autocert4j.issuer.IssuerTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerKind;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.internal.x509.Csr;
import dev.autocert4j.internal.x509.KeyPairs;
import dev.autocert4j.solver.SolverSet;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SelfSignedIssuerTest {
    private final SelfSignedIssuer issuer = SelfSignedIssuer.builder("selfsigned").build();

    private X509Certificate issue(Certificate certificate) throws Exception {
        List<X509Certificate> chain = issuer.issue(request(certificate), context(NOW));
        assertThat(chain).hasSize(1);
        return chain.get(0);
    }

    static Stream<PrivateKeySpec> keys() {
        return Stream.of(PrivateKeySpec.ecdsa(256), PrivateKeySpec.ecdsa(384), PrivateKeySpec.rsa(2048), PrivateKeySpec.ed25519());
    }

    @ParameterizedTest
    @MethodSource("keys")
    void signsTheCertificateWithItsOwnKey(PrivateKeySpec key) throws Exception {
        Certificate certificate = leaf("selfsigned").privateKey(key).build();
        IssuanceRequest request = request(certificate);

        List<X509Certificate> chain = issuer.issue(request, context(NOW));

        assertThat(chain).hasSize(1);
        X509Certificate cert = chain.get(0);
        assertThat(cert.getPublicKey()).isEqualTo(request.keyPair().getPublic());
        cert.verify(request.keyPair().getPublic());
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    }

    @Test
    void notBeforeIsAnHourBeforeTheClocksNowAsLetsEncryptBackdatesAndNotAfterIsNowPlusTheDuration() throws Exception {
        X509Certificate defaults = issue(leaf("selfsigned").build());
        X509Certificate tenDays = issue(leaf("selfsigned").duration(Duration.ofDays(10)).build());

        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        assertThat(defaults.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofHours(1)));
        assertThat(defaults.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(90)));
        assertThat(tenDays.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(10)));
        // a client whose clock is 30 minutes behind accepts the certificate at once
        defaults.checkValidity(java.util.Date.from(now.minus(Duration.ofMinutes(30))));
    }

    @Test
    void subjectAndAlternativeNamesComeFromTheSpec() throws Exception {
        X509Certificate cert = issue(Certificate.builder("www").dnsNames("www.example.test", "api.example.test")
                .ipAddresses("10.0.0.1", "2001:db8::1").commonName("api.example.test")
                .issuerRef(dev.autocert4j.IssuerRef.clusterIssuer("selfsigned")).build());

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=api.example.test");
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "www.example.test"), List.of(2, "api.example.test"), List.of(7, "10.0.0.1"),
                List.of(7, "2001:db8:0:0:0:0:0:1"));
        assertThat(cert.getNonCriticalExtensionOIDs()).contains("2.5.29.17");
    }

    @Test
    void withoutACommonNameTheFirstIdentifierNamesSubjectAndIssuer() throws Exception {
        X509Certificate cert = issue(Certificate.builder("www").ipAddresses("10.0.0.1").dnsNames("www.example.test")
                .issuerRef(dev.autocert4j.IssuerRef.clusterIssuer("selfsigned")).build());

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=www.example.test");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getNonCriticalExtensionOIDs()).contains("2.5.29.17");
    }

    @Test
    void defaultUsagesAreDigitalSignatureAndServerAuthWithoutCa() throws Exception {
        X509Certificate cert = issue(leaf("selfsigned").build());

        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        boolean[] keyUsage = cert.getKeyUsage();
        assertThat(keyUsage[0]).as("digitalSignature").isTrue();
        assertThat(keyUsage[2]).as("keyEncipherment").isFalse();
        assertThat(keyUsage[5]).as("keyCertSign").isFalse();
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void usagesOfTheSpecBecomeKeyUsageAndExtendedKeyUsage() throws Exception {
        X509Certificate cert = issue(leaf("selfsigned").privateKey(PrivateKeySpec.rsa(2048))
                .usages(KeyUsage.KEY_ENCIPHERMENT, KeyUsage.CLIENT_AUTH, KeyUsage.SERVER_AUTH, KeyUsage.CRL_SIGN).build());

        boolean[] keyUsage = cert.getKeyUsage();
        assertThat(keyUsage[0]).as("digitalSignature").isFalse();
        assertThat(keyUsage[2]).as("keyEncipherment").isTrue();
        assertThat(keyUsage[6]).as("cRLSign").isTrue();
        assertThat(cert.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    }

    @Test
    void usagesWithoutExtendedOnesLeaveTheExtensionOut() throws Exception {
        X509Certificate cert = issue(leaf("selfsigned").usages(KeyUsage.DIGITAL_SIGNATURE).build());

        assertThat(cert.getExtendedKeyUsage()).isNull();
    }

    @Test
    void isCaMakesACaCertificateThatMaySignCertificates() throws Exception {
        X509Certificate cert = issue(IssuerTestSupport.ca("selfsigned").build());

        assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=ca.example.test");
    }

    @Test
    void serialsAreRandomPositiveAndAtMost128Bits() throws Exception {
        Certificate certificate = leaf("selfsigned").build();
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            serials.add(issue(certificate).getSerialNumber());
        }

        assertThat(serials).hasSize(20).allSatisfy(serial -> {
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(128);
        });
        assertThat(serials).anySatisfy(serial -> assertThat(serial.bitLength()).isGreaterThan(64));
    }

    @Test
    void subjectAndAuthorityKeyIdentifiersAreBothTheKeysSha1() throws Exception {
        IssuanceRequest request = request(leaf("selfsigned").build());
        X509Certificate cert = issuer.issue(request, context(NOW)).get(0);

        byte[] keyBits = SubjectPublicKeyInfo.getInstance(request.keyPair().getPublic().getEncoded()).getPublicKeyData()
                .getBytes();
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(keyBits);
        byte[] ski = SubjectKeyIdentifier.getInstance(
                ASN1OctetString.getInstance(cert.getExtensionValue("2.5.29.14")).getOctets()).getKeyIdentifier();
        byte[] aki = AuthorityKeyIdentifier.getInstance(
                ASN1OctetString.getInstance(cert.getExtensionValue("2.5.29.35")).getOctets()).getKeyIdentifierOctets();
        assertThat(ski).isEqualTo(expected);
        assertThat(aki).isEqualTo(expected);
    }

    @Test
    void refusesACsrForAnotherKeyWithoutShowingAKey() throws Exception {
        Certificate certificate = leaf("selfsigned").build();
        KeyPair own = KeyPairs.generate(certificate.privateKey());
        KeyPair other = KeyPairs.generate(certificate.privateKey());

        assertThatThrownBy(() -> issuer.issue(new IssuanceRequest(certificate, own, Csr.create(certificate, other)), context(NOW)))
                .isInstanceOf(AutocertException.class)
                .hasMessageContaining("another key")
                .hasMessageNotContaining(Base64.getEncoder().encodeToString(own.getPrivate().getEncoded()).substring(0, 40))
                .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).isFalse());
    }

    @Test
    void refusesAGarbledCsr() throws Exception {
        Certificate certificate = leaf("selfsigned").build();
        KeyPair key = KeyPairs.generate(certificate.privateKey());
        byte[] csr = Csr.create(certificate, key);
        csr[csr.length - 5] ^= 0x55; // inside the signature

        assertThatThrownBy(() -> issuer.issue(new IssuanceRequest(certificate, key, csr), context(NOW)))
                .isInstanceOf(AutocertException.class).hasMessageContaining("CSR");
    }

    @Test
    void needsNoSolverEvenForAWildcard() {
        Certificate wildcard = Certificate.builder("www").dnsNames("*.example.test")
                .issuerRef(dev.autocert4j.IssuerRef.clusterIssuer("selfsigned")).build();

        issuer.checkCanIssue(wildcard, new SolverSet(List.of()));
    }

    @Test
    void isClusterWideUnlessBoundToANamespace() {
        assertThat(issuer.scope().kind()).isEqualTo(IssuerKind.CLUSTER_ISSUER);
        SelfSignedIssuer namespaced = SelfSignedIssuer.builder("selfsigned").namespace("shop").build();
        assertThat(namespaced.scope().kind()).isEqualTo(IssuerKind.ISSUER);
        assertThat(namespaced.scope().namespace()).contains("shop");
        assertThat(namespaced).hasToString("SelfSignedIssuer[selfsigned, Issuer, namespace shop]");
    }

    @Test
    void builderRefusesABlankNameAndASecondNamespace() {
        assertThatThrownBy(() -> SelfSignedIssuer.builder(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("issuer name");
        assertThatThrownBy(() -> SelfSignedIssuer.builder("s").namespace("a").namespace("b"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("namespace");
    }
}
