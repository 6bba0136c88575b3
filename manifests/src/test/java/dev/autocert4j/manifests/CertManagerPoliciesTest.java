package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.manifests.CertManagerPolicies.Violation;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The oracle {@link CertManagerPolicies} against cases of cert-manager's own tests (v1.21), so that it
 * is cert-manager's rules it applies, not ours: {@code policies/checks_test.go}
 * ({@code Test_NewTriggerPolicyChain} without the three cases that need a CertificateRequest,
 * {@code Test_SecretSecretTemplateMismatch} (all nine cases), {@code Test_SecretAdditionalOutputFormatsMismatch} (all
 * thirteen), {@code Test_SecretCertificateNameAnnotationsMismatch}; the managed-field and owner-reference tests are
 * in {@link CertManagerOwnershipChecksTest}) and {@code pkg/util/pki/match_test.go}
 * ({@code TestPrivateKeyMatchesSpec}, {@code TestFuzzyX509AltNamesMatchSpec}). Each test names its Go case.
 */
class CertManagerPoliciesTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final KeyPair FIXED = rsa(2048);

    // ---- Test_NewTriggerPolicyChain

    @Test
    void triggersIssuanceWhenTheSecretIsMissing() {
        assertThat(trigger(spec("secretName: something"), null))
                .contains(new Violation("DoesNotExist", "Issuing certificate as Secret does not exist"));
    }

    @Test
    void triggersIssuanceWhenTheSecretHasNoDataOrLacksTheKeyOrTheCertificate() {
        assertThat(trigger(spec("secretName: something"), new SecretBuilder().withNewMetadata().withName("something").endMetadata().build()))
                .contains(new Violation("MissingData", "Issuing certificate as Secret does not contain any data"));
        assertThat(trigger(spec("secretName: something"), secret(Map.of("tls.crt", "test"), Map.of())))
                .contains(new Violation("MissingData", "Issuing certificate as Secret does not contain a private key"));
        assertThat(trigger(spec("secretName: something"), secret(Map.of("tls.key", "test"), Map.of())))
                .contains(new Violation("MissingData", "Issuing certificate as Secret does not contain a certificate"));
    }

    @Test
    void triggersIssuanceWhenTheKeyOrTheCertificateIsCorrupt() {
        assertThat(trigger(spec("secretName: something"), secret(Map.of("tls.key", "test", "tls.crt", "test"), Map.of())))
                .hasValueSatisfying(v -> assertThat(v.reason()).isEqualTo("InvalidKeyPair"));
        assertThat(trigger(spec("secretName: something"), secret(Map.of("tls.key", pem(FIXED), "tls.crt", "test"), Map.of())))
                .hasValueSatisfying(v -> assertThat(v.reason()).isEqualTo("InvalidCertificate"));
        assertThat(trigger(spec("secretName: something"), secret(Map.of("tls.key", "invalid",
                "tls.crt", cert(rsa(2048), "example.com", List.of(), List.of())), Map.of())))
                .hasValueSatisfying(v -> assertThat(v.reason()).isEqualTo("InvalidKeyPair"));
    }

    @Test
    void triggersIssuanceWhenTheKeyDoesNotBelongToTheCertificate() {
        assertThat(trigger(spec("secretName: something"),
                secret(Map.of("tls.key", pem(FIXED), "tls.crt", cert(rsa(2048), "example.com", List.of(), List.of())), Map.of())))
                .contains(new Violation("InvalidKeyPair", "Issuing certificate as Secret contains a private key that does not match the certificate"));
    }

    @Test
    void triggersIssuanceWhenTheIssuerNameKindOrGroupAnnotationIsAnotherIssuers() {
        Map<String, String> data = keyAndCert(FIXED, "example.com");
        assertThat(trigger(spec("issuerRef: {name: testissuer}"), secret(data, Map.of("cert-manager.io/issuer-name", "oldissuer"))))
                .contains(new Violation("IncorrectIssuer", "Issuing certificate as Secret was previously issued by \"Issuer.cert-manager.io/oldissuer\""));
        assertThat(trigger(spec("issuerRef: {name: testissuer, kind: NewIssuerKind}"), secret(data,
                Map.of("cert-manager.io/issuer-name", "testissuer", "cert-manager.io/issuer-kind", "OldIssuerKind"))))
                .contains(new Violation("IncorrectIssuer", "Issuing certificate as Secret was previously issued by \"OldIssuerKind.cert-manager.io/testissuer\""));
        assertThat(trigger(spec("issuerRef: {name: testissuer, kind: IssuerKind, group: old.example.com}"), secret(data,
                Map.of("cert-manager.io/issuer-name", "testissuer", "cert-manager.io/issuer-kind", "IssuerKind",
                        "cert-manager.io/issuer-group", "new.example.com"))))
                .contains(new Violation("IncorrectIssuer", "Issuing certificate as Secret was previously issued by \"IssuerKind.new.example.com/testissuer\""));
    }

    @Test
    void triggersIssuanceWhenTheKeyIsNotOfTheSpecsAlgorithm() {
        KeyPair p521 = ec("secp521r1");
        assertThat(trigger(spec("secretName: something"), secret(keyAndCert(p521, "example.com"), Map.of())))
                .contains(new Violation("SecretMismatch", "Existing private key is not up to date for spec: [spec.privateKey.algorithm]"));
    }

    @Test
    void comparesTheCertificateWithTheSpecWhenThereIsNoCertificateRequest() {
        Map<String, String> issuer = Map.of("cert-manager.io/issuer-name", "testissuer", "cert-manager.io/issuer-kind", "IssuerKind",
                "cert-manager.io/issuer-group", "group.example.com");
        String ref = "issuerRef: {name: testissuer, kind: IssuerKind, group: group.example.com}\n";
        assertThat(trigger(spec(ref + "commonName: new.example.com"), secret(keyAndCert(FIXED, "old.example.com"), issuer)))
                .contains(new Violation("SecretMismatch", "Issuing certificate as Existing issued Secret is not up to date for spec: [spec.commonName]"));
        assertThat(trigger(spec(ref + "commonName: example.com"), secret(keyAndCert(FIXED, "example.com"), issuer))).isEmpty();
    }

    @Test
    void triggersRenewalOnlyOnceTheRenewalTimeHasCome() {
        Map<String, String> issuer = Map.of("cert-manager.io/issuer-name", "testissuer", "cert-manager.io/issuer-kind", "IssuerKind",
                "cert-manager.io/issuer-group", "group.example.com");
        String ref = "issuerRef: {name: testissuer, kind: IssuerKind, group: group.example.com}\ncommonName: example.com\n";
        // "trigger renewal if renewalTime is right now": expires in 1 minute, renewBefore 5m
        assertThat(trigger(spec(ref + "renewBefore: 5m"), secret(keyAndCert(FIXED, "example.com", minutes(-30), minutes(1)), issuer)))
                .hasValueSatisfying(v -> assertThat(v.reason()).isEqualTo("Renewing"));
        // "does not trigger renewal if the x509 cert has been re-issued, but Certificate's renewal time has not been updated yet"
        assertThat(trigger(spec(ref + "renewBefore: 1m"), secret(keyAndCert(FIXED, "example.com", minutes(0), minutes(30)), issuer))).isEmpty();
        // "does not trigger renewal if renewal time is in 1 minute": expires in 5 minutes, renewBefore 1m
        assertThat(trigger(spec(ref + "renewBefore: 1m"), secret(keyAndCert(FIXED, "example.com", minutes(-30), minutes(5)), issuer))).isEmpty();
        // "does not trigger renewal if renewal policy is disabled"
        assertThat(trigger(spec(ref + "renewal: {policy: Disabled}"), secret(keyAndCert(FIXED, "example.com", minutes(-30), minutes(5)), issuer)))
                .isEmpty();
    }

    @Test
    void readinessReportsAnExpiredCertificateButNotOneThatIsMerelyDue() {
        Map<String, String> due = keyAndCert(FIXED, "example.com", minutes(-30), minutes(1));
        assertThat(CertManagerPolicies.evaluate(CertManagerPolicies.readinessChain(), spec("commonName: example.com"), secret(due, Map.of()), NOW))
                .isEmpty();
        Map<String, String> expired = keyAndCert(FIXED, "example.com", minutes(-30), minutes(-1));
        assertThat(CertManagerPolicies.evaluate(CertManagerPolicies.readinessChain(), spec("commonName: example.com"), secret(expired, Map.of()), NOW))
                .hasValueSatisfying(v -> assertThat(v.reason()).isEqualTo("Expired"));
    }

    // ---- match_test.go TestPrivateKeyMatchesSpec

    @Test
    void matchesPrivateKeysAsCertManagerDoes() throws Exception {
        assertThat(keyViolations(rsa(2048), "{algorithm: RSA, size: 2048}")).isEmpty();
        assertThat(keyViolations(rsa(2048), "{algorithm: RSA, size: 4096}")).containsExactly("spec.privateKey.size");
        assertThat(keyViolations(ec("secp256r1"), "{algorithm: ECDSA, size: 256}")).isEmpty();
        assertThat(keyViolations(ec("secp256r1"), "{algorithm: ECDSA, size: 521}")).containsExactly("spec.privateKey.size");
        assertThat(keyViolations(ec("secp256r1"), "{algorithm: RSA, size: 2048}")).containsExactly("spec.privateKey.algorithm");
        assertThat(keyViolations(ed25519(), "{algorithm: Ed25519}")).isEmpty();
    }

    // ---- match_test.go TestFuzzyX509AltNamesMatchSpec

    @Test
    void letsNamesMoveBetweenCommonNameAndDnsNamesAsCertManagerDoes() throws Exception {
        String atLeastOne = "dnsNames: [at, least, one]";
        assertThat(fuzzy(atLeastOne + "\ncommonName: cn", "cn", List.of("at", "least", "one"), List.of())).isEmpty();
        assertThat(fuzzy(atLeastOne + "\ncommonName: cn", "", List.of("cn", "at", "least", "one"), List.of())).isEmpty();
        assertThat(fuzzy(atLeastOne + "\ncommonName: cn", "", List.of("at", "least", "one", "cn"), List.of())).isEmpty();
        assertThat(fuzzy(atLeastOne, "at", List.of("least", "one"), List.of())).isEmpty();
        assertThat(fuzzy(atLeastOne + "\ncommonName: cn", "", List.of("at", "least", "one"), List.of())).containsExactly("spec.commonName");
        assertThat(fuzzy("dnsNames: [at, least, one, other]\ncommonName: cn", "", List.of("at", "least", "one"), List.of()))
                .containsExactly("spec.commonName", "spec.dnsNames");
        assertThat(fuzzy(atLeastOne, "cn", List.of("at", "least", "one", "other"), List.of()))
                .containsExactly("spec.commonName", "spec.dnsNames");
        assertThat(fuzzy(atLeastOne + "\ncommonName: cn", "cn", List.of("at", "least", "one", "other"), List.of()))
                .containsExactly("spec.dnsNames");
        assertThat(fuzzy(atLeastOne, "at", List.of("at", "least", "one"), List.of())).isEmpty();
        assertThat(fuzzy(atLeastOne + "\ncommonName: cn", "at", List.of("at", "least", "one", "cn"), List.of())).isEmpty();
    }

    @Test
    void comparesIpAddressesAsAddressesAndRefusesAnIpAsCommonName() throws Exception {
        assertThat(fuzzy("ipAddresses: [127.0.0.1]", "", List.of(), List.of("127.0.0.1"))).isEmpty();
        assertThat(fuzzy("ipAddresses: [127.0.0.1]", "", List.of(), List.of("127.0.2.1"))).containsExactly("spec.ipAddresses");
        assertThat(fuzzy("ipAddresses: [127.0.0.1]", "127.0.0.1", List.of(), List.of("127.0.0.1"))).containsExactly("spec.commonName");
        // not in match_test.go: another text form of the same IPv6 address is the same address (net.ParseIP)
        assertThat(fuzzy("ipAddresses: ['2001:DB8:0:0::1']", "", List.of(), List.of("2001:db8::1"))).isEmpty();
    }

    // ---- checks_test.go Test_SecretSecretTemplateMismatch: all nine cases, in the Go file's order (null = Go's nil map)

    @Test
    void comparesOnlyTheSecretTemplateKeysTheSecretHas() {
        String template = "secretTemplate: {annotations: {foo1: bar1, foo2: bar2}, labels: {abc: '123', def: '456'}}";
        String nil = "secretName: x";
        Optional<Violation> annotations = Optional.of(new Violation("SecretTemplateMismatch",
                "Certificate's SecretTemplate Annotations missing or incorrect value on Secret"));
        Optional<Violation> labels = Optional.of(new Violation("SecretTemplateMismatch",
                "Certificate's SecretTemplate Labels missing or incorrect value on Secret"));
        // if SecretTemplate is nil, Secret Annotations and Labels are nil / Annotations nil, Labels non-nil /
        // Annotations non-nil, Labels nil / both non-nil: return false
        assertThat(templateCheck(nil, null, null)).isEmpty();
        assertThat(templateCheck(nil, null, Map.of("foo", "bar"))).isEmpty();
        assertThat(templateCheck(nil, Map.of("foo", "bar"), null)).isEmpty();
        assertThat(templateCheck(nil, Map.of("foo", "bar"), Map.of("bar", "foo"))).isEmpty();
        // if SecretTemplate is non-nil, Secret Annotations match and there are no common Labels / Labels match and
        // there are no common Annotations: return false
        assertThat(templateCheck(template, Map.of("foo1", "bar1", "foo2", "bar2"), null)).isEmpty();
        assertThat(templateCheck(template, null, Map.of("abc", "123", "def", "456"))).isEmpty();
        // ... Labels match but Annotations don't match values / Annotations match but Labels don't: return true
        assertThat(templateCheck(template, Map.of("foo1", "bar2", "foo2", "bar1"), Map.of("abc", "123", "def", "456"))).isEqualTo(annotations);
        assertThat(templateCheck(template, Map.of("foo1", "bar1", "foo2", "bar2"), Map.of("abc", "456", "def", "123"))).isEqualTo(labels);
        // ... Annotations and Labels match: return false
        assertThat(templateCheck(template, Map.of("foo1", "bar1", "foo2", "bar2"), Map.of("abc", "123", "def", "456"))).isEmpty();
    }

    // ---- checks_test.go Test_SecretAdditionalOutputFormatsMismatch: all thirteen cases, in the Go file's order

    @Test
    void wantsEachRequestedOutputFormatWithExactlyItsBytes() throws Exception {
        // Secret data as the API holds it (base64): pk, cert "a", pkDER, combinedPEM = pk + '\n' + cert, "wrong"
        String pk = pem(FIXED);
        String key = b64(pk);
        String cert = b64("a");
        String combined = b64(pk + "\n" + "a");
        String der = Base64.getEncoder().encodeToString(new org.bouncycastle.util.io.pem.PemReader(new java.io.StringReader(pk)).readPemObject().getContent());
        String wrong = b64("wrong");
        String pemOnly = "additionalOutputFormats: [{type: CombinedPEM}]";
        String derOnly = "additionalOutputFormats: [{type: DER}]";
        String both = "additionalOutputFormats: [{type: CombinedPEM}, {type: DER}]";
        Optional<Violation> mismatch = Optional.of(new Violation("AdditionalOutputFormatsMismatch",
                "Certificate's AdditionalOutputFormats doesn't match Secret Data"));
        // if additional output formats is empty and secret has no keys / has output format keys: false
        assertThat(CertManagerPolicies.secretAdditionalOutputFormatsMismatch(spec("secretName: x"), new Secret(), NOW)).isEmpty();
        assertThat(formatCheck("secretName: x", Map.of("tls.crt", cert, "tls.key", key, "combined-tls.pem", combined, "key.der", der))).isEmpty();
        // combined pem: wrong combined / no combined: true; correct combined: false
        assertThat(formatCheck(pemOnly, Map.of("tls.crt", cert, "tls.key", key, "tls-combined.pem", wrong))).isEqualTo(mismatch);
        assertThat(formatCheck(pemOnly, Map.of("tls.crt", cert, "tls.key", key))).isEqualTo(mismatch);
        assertThat(formatCheck(pemOnly, Map.of("tls.crt", cert, "tls.key", key, "tls-combined.pem", combined))).isEmpty();
        // der: no key / wrong der key: true; correct der key: false
        assertThat(formatCheck(derOnly, Map.of("tls.crt", cert, "tls.key", key))).isEqualTo(mismatch);
        assertThat(formatCheck(derOnly, Map.of("tls.crt", cert, "tls.key", key, "key.der", wrong))).isEqualTo(mismatch);
        assertThat(formatCheck(derOnly, Map.of("tls.crt", cert, "tls.key", key, "key.der", der))).isEmpty();
        // combined and der: both correct: false; correct combined and wrong der / wrong combined and correct der /
        // correct combined and missing der / missing combined and correct der: true
        assertThat(formatCheck(both, Map.of("tls.crt", cert, "tls.key", key, "key.der", der, "tls-combined.pem", combined))).isEmpty();
        assertThat(formatCheck(both, Map.of("tls.crt", cert, "tls.key", key, "key.der", wrong, "tls-combined.pem", combined))).isEqualTo(mismatch);
        assertThat(formatCheck(both, Map.of("tls.crt", cert, "tls.key", key, "key.der", der, "tls-combined.pem", wrong))).isEqualTo(mismatch);
        assertThat(formatCheck(both, Map.of("tls.crt", cert, "tls.key", key, "tls-combined.pem", combined))).isEqualTo(mismatch);
        assertThat(formatCheck(both, Map.of("tls.crt", cert, "tls.key", key, "key.der", der))).isEqualTo(mismatch);
    }

    // ---- checks_test.go Test_SecretCertificateNameAnnotationsMismatch

    @Test
    void wantsTheCertificateNameAnnotationToNameTheCertificateWhenPresent() {
        CertManagerSpec spec = CertManagerSpec.of("test-certificate", "", List.of());
        assertThat(CertManagerPolicies.secretCertificateNameAnnotationsMismatch(spec, secret(Map.of(), Map.of()), NOW)).isEmpty();
        assertThat(CertManagerPolicies.secretCertificateNameAnnotationsMismatch(spec,
                secret(Map.of(), Map.of("cert-manager.io/certificate-name", "test-certificate")), NOW)).isEmpty();
        assertThat(CertManagerPolicies.secretCertificateNameAnnotationsMismatch(spec,
                secret(Map.of(), Map.of("cert-manager.io/certificate-name", "foo")), NOW))
                .contains(new Violation("IncorrectCertificate", "Secret was issued for \"foo\". If this message is not transient, "
                        + "you might have two conflicting Certificates pointing to the same secret."));
    }

    @Test
    void writesIpv6AnnotationsInGosShortForm() throws Exception {
        assertThat(CertManagerPolicies.goIpString(InetAddress.getByName("2001:db8:0:0:1:0:0:1").getAddress())).isEqualTo("2001:db8::1:0:0:1");
        assertThat(CertManagerPolicies.goIpString(InetAddress.getByName("::1").getAddress())).isEqualTo("::1");
        assertThat(CertManagerPolicies.goIpString(InetAddress.getByName("fe80::").getAddress())).isEqualTo("fe80::");
        assertThat(CertManagerPolicies.goIpString(InetAddress.getByName("1:0:2:0:3:0:4:0").getAddress())).isEqualTo("1:0:2:0:3:0:4:0");
    }

    // ---- helpers

    private static Optional<Violation> trigger(CertManagerSpec spec, Secret secret) {
        return CertManagerPolicies.evaluate(CertManagerPolicies.triggerChain(), spec, secret, NOW);
    }

    private static Optional<Violation> templateCheck(String specYaml, Map<String, String> annotations, Map<String, String> labels) {
        Secret s = new SecretBuilder().withNewMetadata().withName("something").endMetadata().build();
        s.getMetadata().setAnnotations(annotations);
        s.getMetadata().setLabels(labels);
        return CertManagerPolicies.secretSecretTemplateMismatch(spec(specYaml), s, NOW);
    }

    /** @param data the Secret's data, base64 as the API holds it */
    private static Optional<Violation> formatCheck(String specYaml, Map<String, String> data) {
        Secret s = new SecretBuilder().withNewMetadata().withName("x").endMetadata().withData(new HashMap<>(data)).build();
        return CertManagerPolicies.secretAdditionalOutputFormatsMismatch(spec(specYaml), s, NOW);
    }

    private static List<String> keyViolations(KeyPair key, String privateKey) throws Exception {
        return CertManagerPolicies.privateKeyMatchesSpec(CertManagerPolicies.decodePrivateKey(pem(key).getBytes(StandardCharsets.US_ASCII)),
                spec("privateKey: " + privateKey));
    }

    private static List<String> fuzzy(String specYaml, String cn, List<String> dnsNames, List<String> ips) throws Exception {
        return CertManagerPolicies.fuzzyX509AltNamesMatchSpec(certificate(FIXED, cn, dnsNames, ips, NOW, NOW.plusSeconds(3600)), spec(specYaml));
    }

    @SuppressWarnings("unchecked")
    static CertManagerSpec spec(String specBody) {
        String yaml = "kind: Certificate\nmetadata: {name: test}\nspec:\n" + specBody.indent(2);
        return CertManagerSpec.fromYaml((Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml));
    }

    private static Secret secret(Map<String, String> data, Map<String, String> annotations) {
        Map<String, String> encoded = new HashMap<>();
        data.forEach((k, v) -> encoded.put(k, b64(v)));
        return new SecretBuilder().withNewMetadata().withName("something").withAnnotations(new HashMap<>(annotations)).endMetadata()
                .withData(encoded).build();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static Instant minutes(int n) {
        return NOW.plus(Duration.ofMinutes(n));
    }

    private static Map<String, String> keyAndCert(KeyPair key, String cn) {
        return keyAndCert(key, cn, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(90)));
    }

    private static Map<String, String> keyAndCert(KeyPair key, String cn, Instant notBefore, Instant notAfter) {
        try {
            return Map.of("tls.key", pem(key), "tls.crt", pem(certificate(key, cn, List.of(), List.of(), notBefore, notAfter)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cert(KeyPair key, String cn, List<String> dnsNames, List<String> ips) {
        try {
            return pem(certificate(key, cn, dnsNames, ips, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(90))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As testcrypto.MustCreateCert / pki.CertificateTemplateFromCertificate: self-signed, CN only when given. */
    static X509Certificate certificate(KeyPair key, String cn, List<String> dnsNames, List<String> ips, Instant notBefore, Instant notAfter)
            throws Exception {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        if (!cn.isEmpty()) {
            subject.addRDN(BCStyle.CN, cn);
        }
        var name = subject.build();
        // an empty subject needs an issuer of its own (X.509 forbids an empty issuer name)
        var issuer = cn.isEmpty() ? new org.bouncycastle.asn1.x500.X500Name("CN=issuer") : name;
        var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter),
                name, key.getPublic());
        List<GeneralName> sans = new ArrayList<>();
        dnsNames.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
        ips.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
        if (!sans.isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, cn.isEmpty(), new GeneralNames(sans.toArray(GeneralName[]::new)));
        }
        String algorithm = switch (key.getPrivate().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "SHA256withECDSA";
        };
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).setProvider(BC)
                .build(key.getPrivate())));
    }

    static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o instanceof KeyPair k ? k.getPrivate() : o);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", BC).generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
