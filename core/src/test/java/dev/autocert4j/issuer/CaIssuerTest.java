package dev.autocert4j.issuer;

import static dev.autocert4j.issuer.IssuerTestSupport.NOW;
import static dev.autocert4j.issuer.IssuerTestSupport.context;
import static dev.autocert4j.issuer.IssuerTestSupport.leaf;
import static dev.autocert4j.issuer.IssuerTestSupport.request;
import static dev.autocert4j.issuer.IssuerTestSupport.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.internal.x509.KeyPairs;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class CaIssuerTest {
    private final SelfSignedIssuer selfSigned = SelfSignedIssuer.builder("selfsigned").build();

    /** A root CA, self-signed, as a store would hold it. */
    private StoredCertificate root(Duration duration) throws Exception {
        Certificate spec = IssuerTestSupport.ca("selfsigned").duration(duration).build();
        IssuanceRequest request = request(spec);
        List<X509Certificate> chain = selfSigned.issue(request, context(NOW.minus(Duration.ofDays(1))));
        return new StoredCertificate(chain, request.keyPair(),
                new CertificateMetadata(spec.specFingerprint(), "selfsigned", 1, NOW));
    }

    private StoredCertificate root() throws Exception {
        return root(Duration.ofDays(365));
    }

    private static byte[] extension(X509Certificate cert, String oid) {
        return ASN1OctetString.getInstance(cert.getExtensionValue(oid)).getOctets();
    }

    @Test
    void leafChainsToTheCaWhichIsTheTrustAnchor() throws Exception {
        StoredCertificate root = root();
        CaIssuer ca = CaIssuer.builder("ca").signingKey(root).build();
        IssuanceRequest request = request(leaf("ca").build());

        List<X509Certificate> chain = ca.issue(request, context(NOW));

        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(root.leaf());
        X509Certificate issued = chain.get(0);
        assertThat(issued.getPublicKey()).isEqualTo(request.keyPair().getPublic());
        issued.verify(root.leaf().getPublicKey());
        validate(List.of(issued), root.leaf(), NOW);
        assertThat(issued.getIssuerX500Principal()).isEqualTo(root.leaf().getSubjectX500Principal());
        assertThat(issued.getBasicConstraints()).isEqualTo(-1);
        assertThat(issued.getSubjectAlternativeNames()).containsExactly(List.of(2, "www.example.test"));
        assertThat(issued.getSubjectX500Principal().getName()).as("no commonName: empty subject, as cert-manager").isEmpty();
        assertThat(issued.getCriticalExtensionOIDs()).as("SAN is critical with an empty subject").contains("2.5.29.17");
    }

    @Test
    void authorityKeyIdentifierIsTheCasSubjectKeyIdentifier() throws Exception {
        StoredCertificate root = root();
        X509Certificate issued = CaIssuer.builder("ca").signingKey(root).build()
                .issue(request(leaf("ca").build()), context(NOW)).get(0);

        byte[] caSki = SubjectKeyIdentifier.getInstance(extension(root.leaf(), "2.5.29.14")).getKeyIdentifier();
        byte[] aki = AuthorityKeyIdentifier.getInstance(extension(issued, "2.5.29.35")).getKeyIdentifierOctets();
        byte[] ski = SubjectKeyIdentifier.getInstance(extension(issued, "2.5.29.14")).getKeyIdentifier();
        assertThat(aki).isEqualTo(caSki);
        assertThat(ski).isNotEqualTo(caSki);
    }

    @Test
    void anIntermediateCaSignsLeavesThatChainToTheRoot() throws Exception {
        StoredCertificate root = root();
        Certificate intermediateSpec = Certificate.builder("intermediate").dnsNames("intermediate.example.test")
                .commonName("intermediate.example.test").isCA(true).privateKey(PrivateKeySpec.rsa(2048))
                .issuerRef(IssuerRef.clusterIssuer("root")).build();
        IssuanceRequest intermediateRequest = request(intermediateSpec);
        List<X509Certificate> intermediateChain = CaIssuer.builder("root").signingKey(root).build()
                .issue(intermediateRequest, context(NOW));
        CaIssuer intermediate = CaIssuer.builder("intermediate")
                .signingKey(intermediateRequest.keyPair(), intermediateChain).build();

        List<X509Certificate> chain = intermediate.issue(request(leaf("intermediate").build()), context(NOW));

        assertThat(chain).hasSize(3);
        assertThat(chain.subList(1, 3)).containsExactly(intermediateChain.get(0), root.leaf());
        validate(chain.subList(0, 2), root.leaf(), NOW);
    }

    @Test
    void aLeafIsNotAcceptedAsAnIssuerByPkix() throws Exception {
        // Guards the CA:false marking: a leaf that signed another certificate must not validate.
        StoredCertificate root = root();
        IssuanceRequest leafRequest = request(leaf("ca").commonName("www.example.test").build());
        List<X509Certificate> leafChain = CaIssuer.builder("ca").signingKey(root).build().issue(leafRequest, context(NOW));
        X509Certificate underLeaf = forgeSignedBy(leafChain.get(0), leafRequest.keyPair());

        assertThatThrownBy(() -> validate(List.of(underLeaf, leafChain.get(0)), root.leaf(), NOW))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void notAfterIsCappedAtTheCasNotAfter() throws Exception {
        StoredCertificate root = root(Duration.ofDays(30)); // valid from NOW - 1 day: 29 days left
        CaIssuer ca = CaIssuer.builder("ca").signingKey(root).build();

        X509Certificate capped = ca.issue(request(leaf("ca").build()), context(NOW)).get(0);
        X509Certificate shorter = ca.issue(request(leaf("ca").duration(Duration.ofDays(7)).build()), context(NOW)).get(0);

        assertThat(capped.getNotAfter()).isEqualTo(root.leaf().getNotAfter());
        assertThat(shorter.getNotAfter().toInstant()).isEqualTo(Instant.parse("2026-03-08T10:00:00Z"));
        assertThat(capped.getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z")); // backdated an hour
    }

    @Test
    void serialsDifferBetweenIssuances() throws Exception {
        CaIssuer ca = CaIssuer.builder("ca").signingKey(root()).build();
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            serials.add(ca.issue(request(leaf("ca").build()), context(NOW)).get(0).getSerialNumber());
        }

        assertThat(serials).hasSize(10);
    }

    @Test
    void refusesACertificateThatIsNotACa() throws Exception {
        Certificate spec = leaf("selfsigned").build();
        IssuanceRequest request = request(spec);
        List<X509Certificate> notCa = selfSigned.issue(request, context(NOW));

        assertThatThrownBy(() -> CaIssuer.builder("ca").signingKey(request.keyPair(), notCa))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CA:true");
    }

    @Test
    void refusesACaWhoseKeyUsageLacksCertSign() throws Exception {
        KeyPair key = KeyPairs.generate(PrivateKeySpec.ecdsa(256));
        X500Name name = new X500Name("CN=no-cert-sign");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(30))), name, key.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true,
                new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));

        assertThatThrownBy(() -> CaIssuer.builder("ca").signingKey(key, List.of(cert)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyCertSign");
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCaWithoutShowingIt() throws Exception {
        StoredCertificate root = root();
        KeyPair other = KeyPairs.generate(PrivateKeySpec.ecdsa(256));

        assertThatThrownBy(() -> CaIssuer.builder("ca").signingKey(other, root.chain()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong")
                .hasMessageNotContaining(Base64.getEncoder().encodeToString(other.getPrivate().getEncoded()).substring(0, 40));
    }

    @Test
    void anExpiredCaSignsNothing() throws Exception {
        StoredCertificate root = root(Duration.ofDays(2));
        CaIssuer ca = CaIssuer.builder("ca").signingKey(root).build();

        assertThatThrownBy(() -> ca.issue(request(leaf("ca").build()), context(NOW.plus(Duration.ofDays(1)))))
                .isInstanceOf(AutocertException.class).hasMessageContaining("expired")
                .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).isFalse());
    }

    @Test
    void aCaMissingFromTheStoreIsARetryableFailureNamingIt() {
        Certificate secret = IssuerTestSupport.ca("selfsigned").build();
        CaIssuer ca = CaIssuer.builder("ca").secret(secret).build();

        assertThatThrownBy(() -> ca.issue(request(leaf("ca").build()), context(NOW)))
                .isInstanceOf(AutocertException.class).hasMessageContaining("default/root-ca")
                .hasMessageContaining("not in the store")
                .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).isTrue());
    }

    @Test
    void aStoredCertificateThatIsNotACaIsRefusedAtIssuance() throws Exception {
        Certificate secret = leaf("selfsigned").build();
        IssuanceRequest request = request(secret);
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        store.save(secret, new StoredCertificate(selfSigned.issue(request, context(NOW)), request.keyPair(),
                new CertificateMetadata(secret.specFingerprint(), "selfsigned", 1, NOW)));
        CaIssuer ca = CaIssuer.builder("ca").secret(secret).build();

        assertThatThrownBy(() -> ca.issue(request(leaf("ca").build()), context(NOW, store)))
                .isInstanceOf(AutocertException.class).hasMessageContaining("default/www").hasMessageContaining("CA:true")
                .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).isFalse());
    }

    @Test
    void builderNeedsExactlyOneCaAndASecretInItsOwnNamespace() throws Exception {
        Certificate secret = IssuerTestSupport.ca("selfsigned").build();
        StoredCertificate root = root();

        assertThatThrownBy(() -> CaIssuer.builder("ca").secret(secret).signingKey(root).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("keep one");
        assertThatThrownBy(() -> CaIssuer.builder("ca").namespace("shop").secret(secret).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace shop");
        CaIssuer namespaced = CaIssuer.builder("ca").namespace("default").secret(secret).build();
        assertThat(namespaced.secret()).contains(secret);
        assertThat(namespaced.caCertificate()).isEmpty();
    }

    @Test
    void toStringNamesTheCaButNotItsKey() throws Exception {
        StoredCertificate root = root();
        CaIssuer ca = CaIssuer.builder("ca").signingKey(root).build();

        assertThat(ca.toString()).contains("ca", "CN=ca.example.test")
                .doesNotContain(Base64.getEncoder().encodeToString(root.keyPair().getPrivate().getEncoded()).substring(0, 40));
        assertThat(ca.caCertificate()).contains(root.leaf());
    }

    @Test
    void obtainIssuesACaWithTheSelfSignedIssuerAndThenLeavesSignedByIt() throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        Certificate rootSpec = IssuerTestSupport.ca("selfsigned").duration(Duration.ofDays(3650)).build();
        Certificate leafSpec = leaf("internal-ca").ipAddresses("10.1.2.3").build();
        Certificate otherLeaf = Certificate.builder("api").namespace("shop").dnsNames("api.example.test")
                .issuerRef(IssuerRef.clusterIssuer("internal-ca")).build();
        CertificateManager manager = CertificateManager.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .issuer(selfSigned).issuer(CaIssuer.builder("internal-ca").secret(rootSpec).build()).build();

        StoredCertificate root = manager.obtain(rootSpec);
        StoredCertificate issued = manager.obtain(leafSpec);
        StoredCertificate api = manager.obtain(otherLeaf);

        assertThat(root.chain()).hasSize(1);
        assertThat(root.leaf().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(issued.chain()).containsExactly(issued.leaf(), root.leaf());
        assertThat(issued.leaf().getPublicKey()).isEqualTo(issued.keyPair().getPublic());
        assertThat(issued.metadata().issuerName()).isEqualTo("internal-ca");
        validate(List.of(issued.leaf()), root.leaf(), NOW);
        validate(List.of(api.leaf()), root.leaf(), NOW);
        assertThat(issued.leaf().getSerialNumber()).isNotEqualTo(api.leaf().getSerialNumber());
        assertThat(store.load(leafSpec)).contains(issued);
        assertThat(manager.obtain(leafSpec)).as("stored and still valid: not issued again").isEqualTo(issued);
    }

    @Test
    void aRenewedRootSignsTheNextLeafAtOnce() throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        Certificate rootSpec = IssuerTestSupport.ca("selfsigned").duration(Duration.ofDays(3650)).build();
        Certificate leafSpec = leaf("internal-ca").build();
        CertificateManager manager = CertificateManager.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .issuer(selfSigned).issuer(CaIssuer.builder("internal-ca").secret(rootSpec).build()).build();
        StoredCertificate oldRoot = manager.obtain(rootSpec);
        manager.obtain(leafSpec);

        StoredCertificate newRoot = manager.renew(rootSpec);
        StoredCertificate next = manager.renew(leafSpec);

        assertThat(newRoot.keyPair().getPublic()).as("the renewed root has a key of its own")
                .isNotEqualTo(oldRoot.keyPair().getPublic());
        assertThat(next.chain()).containsExactly(next.leaf(), newRoot.leaf());
        validate(List.of(next.leaf()), newRoot.leaf(), NOW);
    }

    /** A certificate signed by a leaf, which PKIX must refuse. */
    private static X509Certificate forgeSignedBy(X509Certificate leaf, KeyPair leafKey) throws Exception {
        KeyPair key = KeyPairs.generate(PrivateKeySpec.ecdsa(256));
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(leaf, BigInteger.TWO,
                Date.from(NOW.minus(Duration.ofHours(1))), Date.from(NOW.plus(Duration.ofDays(1))),
                new javax.security.auth.x500.X500Principal("CN=under-leaf"), key.getPublic());
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(leafKey.getPublic())).build(leafKey.getPrivate())));
    }
}
