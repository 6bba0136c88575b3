package dev.autocert4j.issuer;

import static dev.autocert4j.issuer.IssuerTestSupport.NOW;
import static dev.autocert4j.issuer.IssuerTestSupport.context;
import static dev.autocert4j.issuer.IssuerTestSupport.request;
import static dev.autocert4j.issuer.IssuerTestSupport.validate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateSubject;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.SignatureAlgorithm;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subject fields, URI and email SANs and the signature algorithm, read back from issued certificates. */
class SubjectFieldsIssuanceTest {
    private final SelfSignedIssuer selfSigned = SelfSignedIssuer.builder("selfsigned").build();

    private X509Certificate selfSign(Certificate spec) throws Exception {
        return selfSigned.issue(request(spec), context(NOW)).get(0);
    }

    private static Certificate.Builder leaf(String issuer) {
        return Certificate.builder("app").issuerRef(IssuerRef.clusterIssuer(issuer));
    }

    /** Each RDN as "TYPE=value/encoding", multi-valued ones joined with '+', in certificate order. */
    private static List<String> rdns(X509Certificate certificate) throws Exception {
        X500Name subject = new JcaX509CertificateHolder(certificate).getSubject();
        List<String> out = new ArrayList<>();
        for (RDN rdn : subject.getRDNs()) {
            List<String> values = new ArrayList<>();
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                values.add(name(atv.getType()) + "=" + text(atv.getValue()));
            }
            out.add(String.join("+", values));
        }
        return out;
    }

    private static String name(ASN1ObjectIdentifier type) {
        String name = BCStyle.INSTANCE.oidToDisplayName(type);
        return name == null ? type.getId() : name;
    }

    private static String text(ASN1Encodable value) {
        if (value instanceof DERPrintableString p) {
            return p.getString() + "/printable";
        }
        if (value instanceof DERUTF8String u) {
            return u.getString() + "/utf8";
        }
        return value + "/" + value.getClass().getSimpleName();
    }

    @Test
    void aCaWithOnlyACommonNameIsTheUsualSelfSignedRootAndSignsLeaves() throws Exception {
        Certificate rootSpec = Certificate.builder("root").commonName("Example Root CA").isCA(true)
                .issuerRef(IssuerRef.clusterIssuer("selfsigned")).build();
        IssuanceRequest rootRequest = request(rootSpec);
        X509Certificate root = selfSigned.issue(rootRequest, context(NOW.minusSeconds(60))).get(0);

        assertThat(rdns(root)).containsExactly("CN=Example Root CA/printable");
        assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        assertThat(root.getExtensionValue(Extension.subjectAlternativeName.getId())).isNull();
        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);

        CaIssuer ca = CaIssuer.builder("ca").signingKey(new StoredCertificate(List.of(root), rootRequest.keyPair(),
                new CertificateMetadata(rootSpec.specFingerprint(), "selfsigned", 1, NOW))).build();
        X509Certificate leaf = ca.issue(request(leaf("ca").dnsNames("app.example.test").build()), context(NOW)).get(0);
        validate(List.of(leaf), root, NOW);
    }

    @Test
    void subjectAttributesAreInGoOrderWithOneMultiValuedRdnPerType() throws Exception {
        CertificateSubject subject = CertificateSubject.builder().organizations("Example GmbH", "Example & Co")
                .countries("DE").organizationalUnits("Web").localities("Zürich").provinces("Bayern")
                .streetAddresses("Hauptstraße 1").postalCodes("80331").serialNumber("42").build();

        X509Certificate issued = selfSign(leaf("selfsigned").dnsNames("app.example.test").commonName("app.example.test")
                .subject(subject).build());

        // Go's pkix.Name.ToRDNSequence: C, ST, L, STREET, postalCode, O, OU, CN, SERIALNUMBER; '&' and
        // non-ASCII are not PrintableString characters for Go's encoding/asn1; DER sorts a SET by encoding.
        assertThat(rdns(issued)).containsExactly("C=DE/printable", "ST=Bayern/printable", "L=Zürich/utf8",
                "STREET=Hauptstraße 1/utf8", "PostalCode=80331/printable",
                "O=Example & Co/utf8+O=Example GmbH/printable", "OU=Web/printable", "CN=app.example.test/printable",
                "SERIALNUMBER=42/printable");
    }

    @Test
    void urisAndEmailAddressesAreSansInGoOrderAfterDnsNamesAroundIpAddresses() throws Exception {
        X509Certificate issued = selfSign(leaf("selfsigned").dnsNames("app.example.test").ipAddresses("10.0.0.1")
                .uris("spiffe://cluster.local/ns/shop/sa/web").emailAddresses("ops@example.test").build());

        // pkg/util/pki/sans.go: DNS (2), email (1), IP (7), URI (6).
        assertThat(issued.getSubjectAlternativeNames()).containsExactly(List.of(2, "app.example.test"),
                List.of(1, "ops@example.test"), List.of(7, "10.0.0.1"), List.of(6, "spiffe://cluster.local/ns/shop/sa/web"));
    }

    @Test
    void aCertificateWithOnlyAUriIsIssuedWithItsSubjectNamedAfterTheUri() throws Exception {
        X509Certificate issued = selfSign(leaf("selfsigned").uris("spiffe://cluster.local/ns/shop/sa/web").build());

        assertThat(issued.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://cluster.local/ns/shop/sa/web"));
        assertThat(rdns(issued)).containsExactly("CN=spiffe://cluster.local/ns/shop/sa/web/utf8");
    }

    @Test
    void aLiteralSubjectGoesIntoTheCertificateReversedAsCertManagerReadsIt() throws Exception {
        X509Certificate issued = selfSign(leaf("selfsigned").dnsNames("app.example.test").subject(CertificateSubject
                .literal("CN=app.example.test,OU=Web+OU=Ops,O=Example\\, Inc.,2.5.4.17=80331,C=DE")).build());

        assertThat(rdns(issued)).containsExactly("C=DE/printable", "PostalCode=80331/printable",
                "O=Example, Inc./printable", "OU=Ops/printable+OU=Web/printable", "CN=app.example.test/printable");
    }

    @Test
    void signatureAlgorithmSignsTheCsrWhileTheIssuerSignsWithTheDigestOfItsKeyAsCertManager() throws Exception {
        Certificate spec = leaf("selfsigned").dnsNames("app.example.test").privateKey(PrivateKeySpec.rsa(2048))
                .signatureAlgorithm(SignatureAlgorithm.SHA512_WITH_RSA).build();
        IssuanceRequest request = request(spec);

        String csrAlgorithm = new DefaultAlgorithmNameFinder().getAlgorithmName(
                new PKCS10CertificationRequest(request.csr()).getSignatureAlgorithm());
        X509Certificate issued = selfSigned.issue(request, context(NOW)).get(0);

        assertThat(csrAlgorithm).isEqualTo("SHA512WITHRSA");
        // pkg/util/pki/csr.go SignCertificate: the signer's key chooses (RSA 2048: SHA-256).
        assertThat(issued.getSigAlgName()).isEqualTo("SHA256withRSA");
    }

    @Test
    void opensslReadsTheSubjectAndTheSans(@TempDir Path dir) throws Exception {
        X509Certificate issued = selfSign(leaf("selfsigned").dnsNames("app.example.test").commonName("app.example.test")
                .subject(CertificateSubject.builder().organizations("Example").countries("DE").build())
                .uris("spiffe://cluster.local/ns/shop/sa/web").emailAddresses("ops@example.test").build());
        Path pem = dir.resolve("tls.crt");
        Files.writeString(pem, Pem.encodeChain(List.of(issued)), StandardCharsets.US_ASCII);

        Process openssl = new ProcessBuilder("openssl", "x509", "-noout", "-text", "-in", pem.toString())
                .redirectErrorStream(true).start();
        String text = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(text).contains("Subject: C = DE, O = Example, CN = app.example.test")
                .contains("DNS:app.example.test, email:ops@example.test, URI:spiffe://cluster.local/ns/shop/sa/web");
    }
}
