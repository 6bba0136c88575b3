package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.manifests.CertManagerPolicies.Check;
import dev.autocert4j.manifests.CertManagerPolicies.Violation;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * {@link CertManagerOwnershipChecks} against cert-manager's own cases: every case of the five Go tests in
 * {@code internal/controller/certificates/policies/checks_test.go} (v1.21.0) for these checks, transcribed from that
 * file (names, managedFields JSON, owner references, expected reason and message), never produced by our writer.
 * Each case carries its Go name; each test asserts that all of the Go test's cases are here.
 */
class CertManagerOwnershipChecksTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** One row of a Go table test. */
    private record Case(String name, CertManagerSpec spec, Secret secret, Optional<Violation> expected) {
    }

    // ---- Test_SecretManagedLabelsAndAnnotationsManagedFieldsMismatch (fieldManager "cert-manager-unit-test")

    @Test
    void wantsExactlyTheCertManagerLabelsAndCertificateAnnotationsOwnedByItsFieldManager() throws Exception {
        String fm = "cert-manager-unit-test";
        // testcrypto.MustCreateCryptoBundle of gen.Certificate with commonName "cert-manager": CN only, no SANs
        String crt = CertManagerPoliciesTest.pem(CertManagerPoliciesTest.certificate(CertManagerPoliciesTest.rsa(2048), "cert-manager",
                List.of(), List.of(), NOW.minusSeconds(60), NOW.plusSeconds(3600)));
        CertManagerSpec spec = CertManagerSpec.of("test-certificate", "", List.of());
        List<Case> cases = List.of(
                new Case("if there are no cert-manager annotations and the certificate data is nil, should return false", spec,
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:labels': {'f:controller.cert-manager.io/fao': {}}}}")), none()),
                new Case("if optional cert-manager annotations are present with no certificate data, should return false", spec,
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:labels': {'f:controller.cert-manager.io/fao': {}},"
                                + "'f:annotations': {'f:foo1': {}, 'f:foo2': {}, 'f:cert-manager.io/certificate-name': {},"
                                + "'f:cert-manager.io/issuer-name': {}, 'f:cert-manager.io/issuer-kind': {}, 'f:cert-manager.io/issuer-group': {}}}}")),
                        none()),
                new Case("if cert-manager annotations are present with certificate data, should return false", spec,
                        secret(Map.of("tls.crt", crt), entry(fm, "{'f:metadata': {'f:labels': {'f:controller.cert-manager.io/fao': {}},"
                                + "'f:annotations': {'f:foo1': {}, 'f:foo2': {}, 'f:cert-manager.io/certificate-name': {},"
                                + "'f:cert-manager.io/issuer-name': {}, 'f:cert-manager.io/issuer-kind': {}, 'f:cert-manager.io/issuer-group': {},"
                                + "'f:cert-manager.io/common-name': {}, 'f:cert-manager.io/alt-names': {}, 'f:cert-manager.io/ip-sans': {},"
                                + "'f:cert-manager.io/uri-sans': {}}}}")),
                        none()),
                new Case("if required and optional cert-manager annotations are present with certificate data but certificate data is nil, "
                        + "should return true", spec,
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:labels': {'f:controller.cert-manager.io/fao': {}},"
                                + "'f:annotations': {'f:foo1': {}, 'f:foo2': {}, 'f:cert-manager.io/certificate-name': {},"
                                + "'f:cert-manager.io/issuer-name': {}, 'f:cert-manager.io/issuer-kind': {}, 'f:cert-manager.io/issuer-group': {},"
                                + "'f:cert-manager.io/uri-sans': {}, 'f:cert-manager.io/ip-sans': {}}}}")),
                        violation("SecretManagedMetadataMismatch", "Secret has these extra Annotations: [cert-manager.io/ip-sans cert-manager.io/uri-sans]")));
        check(CertManagerOwnershipChecks.secretManagedLabelsAndAnnotationsManagedFieldsMismatch(fm), cases, 4);
    }

    @Test
    void reportsAMissingFaoLabelAndUndecodableManagedFields() {
        // beyond the Go table: what a Secret that cert-manager never applied gives, and FromJSON's failure
        CertManagerSpec spec = CertManagerSpec.of("test-certificate", "", List.of());
        Check check = CertManagerOwnershipChecks.secretManagedLabelsAndAnnotationsManagedFieldsMismatch("cm");
        assertThat(check.apply(spec, secret(Map.of()), NOW))
                .contains(new Violation("SecretManagedMetadataMismatch", "Secret is missing these Managed Labels: [controller.cert-manager.io/fao]"));
        assertThat(check.apply(spec, secret(Map.of(), entry("cm", "{'x:metadata': {}}")), NOW))
                .hasValueSatisfying(v -> assertThat(v.reason()).isEqualTo("ManagedFieldsParseError"));
    }

    // ---- Test_SecretSecretTemplateManagedFieldsMismatch (fieldManager "cert-manager-unit-test")

    @Test
    void wantsExactlyTheSecretTemplateKeysOwnedByCertManagersFieldManager() {
        String fm = "cert-manager-unit-test";
        CertManagerSpec nil = CertManagerPoliciesTest.spec("secretName: x");
        String labelsAbcDef = "labels: {abc: '123', def: '456'}";
        List<Case> cases = List.of(
                new Case("if template is nil and no managed fields, should return false", nil, secret(Map.of()), none()),
                new Case("if template is nil, managed fields is not nil but not managed by cert-manager, should return false", nil,
                        secret(Map.of(), entry("not-cert-manager", "{'f:metadata': {'f:annotations': {'f:bar': {}}, 'f:labels': {'f:123': {}}}}")),
                        none()),
                new Case("if template is nil, managed fields is not nil but fields are nil, should return false", nil,
                        secret(Map.of(), new ManagedFieldsEntryBuilder().withManager(fm).build()), none()),
                new Case("if template is not-nil but managed fields is nil, should return true",
                        template("annotations: {foo: bar}, labels: {abc: '123'}"), secret(Map.of()),
                        violation("SecretTemplateMismatch", "Secret is missing these Template Labels: [abc]")),
                new Case("if template is nil but managed fields is not nil, should return true", nil,
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:annotations': {'f:foo': {}}, 'f:labels': {'f:abc': {}}}}")),
                        violation("SecretTemplateMismatch", "Secret has these extra Labels: [abc]")),
                new Case("if template annotations do not match managed fields, should return true",
                        template("annotations: {foo1: bar1, foo2: bar2, foo4: bar4}, " + labelsAbcDef),
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo3': {}}, 'f:labels': {'f:abc': {}, 'f:def': {}}}}")),
                        violation("SecretTemplateMismatch", "Secret is missing these Template Annotations: [foo2 foo4]")),
                new Case("if template labels do not match managed fields, should return true",
                        template("annotations: {foo1: bar1, foo2: bar2}, labels: {abc: '123', def: '456', ghi: '789'}"),
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo2': {}}, 'f:labels': {'f:abc': {}, 'f:erg': {}}}}")),
                        violation("SecretTemplateMismatch", "Secret is missing these Template Labels: [def ghi]")),
                new Case("if template annotations and labels match managed fields, should return false",
                        template("annotations: {foo1: bar1, foo2: bar2}, " + labelsAbcDef),
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo2': {}}, 'f:labels': {'f:abc': {}, 'f:def': {}}}}")),
                        none()),
                new Case("if template annotations is a subset of managed fields, return true",
                        template("annotations: {foo1: bar1, foo2: bar2}, " + labelsAbcDef),
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo2': {}, 'f:foo3': {}, 'f:foo4': {}},"
                                + "'f:labels': {'f:abc': {}, 'f:def': {}}}}")),
                        violation("SecretTemplateMismatch", "Secret has these extra Annotations: [foo3 foo4]")),
                new Case("if template labels is a subset of managed fields, return true",
                        template("annotations: {foo1: bar1, foo2: bar2}, " + labelsAbcDef),
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo2': {}},"
                                + "'f:labels': {'f:abc': {}, 'f:def': {}, 'f:ghi': {}, 'f:jkl': {}}}}")),
                        violation("SecretTemplateMismatch", "Secret has these extra Labels: [ghi jkl]")),
                new Case("if managed fields annotations is a subset of template, return true",
                        template("annotations: {foo1: bar1, foo2: bar2, foo3: bar3}, " + labelsAbcDef),
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo2': {}}, 'f:labels': {'f:abc': {}, 'f:def': {}}}}")),
                        violation("SecretTemplateMismatch", "Secret is missing these Template Annotations: [foo3]")),
                new Case("if managed fields labels is a subset of template, return true",
                        template("annotations: {foo1: bar1, foo2: bar2}, labels: {abc: '123', def: '456', ghi: '789'}"),
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo2': {}}, 'f:labels': {'f:abc': {}, 'f:def': {}}}}")),
                        violation("SecretTemplateMismatch", "Secret is missing these Template Labels: [ghi]")),
                new Case("if managed fields matches template but is split across multiple managed fields, should return false",
                        template("annotations: {foo1: bar1, foo2: bar2, foo3: bar3}, labels: {abc: '123', def: '456', ghi: '789'}"),
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:labels': {'f:ghi': {}}}}"),
                                entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo3': {}}, 'f:labels': {'f:abc': {}, 'f:def': {}}}}"),
                                entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo2': {}}, 'f:labels': {'f:abc': {}, 'f:def': {}}}}")),
                        none()),
                new Case("if managed fields matches template and cert-manager annotations are present, should return false",
                        template("annotations: {foo1: bar1, foo2: bar2}"),
                        secret(Map.of(), entry(fm, "{'f:metadata': {'f:annotations': {'f:foo1': {}, 'f:foo2': {},"
                                + "'f:cert-manager.io/foo1': {}, 'f:cert-manager.io/foo2': {}}}}")),
                        none()));
        check(CertManagerOwnershipChecks.secretSecretTemplateManagedFieldsMismatch(fm), cases, 14);
    }

    // ---- Test_SecretAdditionalOutputFormatsManagedFieldsMismatch (fieldManager "cert-manager-test")

    @Test
    void wantsExactlyTheRequestedOutputFormatKeysOwnedByCertManagersFieldManager() {
        String fm = "cert-manager-test";
        CertManagerSpec none = CertManagerPoliciesTest.spec("secretName: x");
        CertManagerSpec empty = CertManagerPoliciesTest.spec("additionalOutputFormats: []");
        CertManagerSpec combined = CertManagerPoliciesTest.spec("additionalOutputFormats: [{type: CombinedPEM}]");
        CertManagerSpec der = CertManagerPoliciesTest.spec("additionalOutputFormats: [{type: DER}]");
        CertManagerSpec both = CertManagerPoliciesTest.spec("additionalOutputFormats: [{type: CombinedPEM}, {type: DER}]");
        CertManagerSpec derFirst = CertManagerPoliciesTest.spec("additionalOutputFormats: [{type: DER}, {type: CombinedPEM}]");
        String pemJson = "{'f:data': {'.': {}, 'f:tls-combined.pem': {}}}";
        String derJson = "{'f:data': {'.': {}, 'f:key.der': {}}}";
        String bothJson = "{'f:data': {'.': {}, 'f:tls-combined.pem': {}, 'f:key.der': {}}}";
        Optional<Violation> mismatch = violation("AdditionalOutputFormatsMismatch",
                "Certificate's AdditionalOutputFormats doesn't match Secret ManagedFields");
        List<Case> cases = List.of(
                new Case("if additional output formats is empty and secret has no managed fields, should return false", none, secret(Map.of()), none()),
                new Case("if additional output formats has combined pem and secret has no managed fields, should return true", combined,
                        secret(Map.of()), mismatch),
                new Case("if additional output formats has der and secret has no managed fields, should return true", der, secret(Map.of()), mismatch),
                new Case("if additional output formats has combined pem and der, and secret has no managed fields, should return true", both,
                        secret(Map.of()), mismatch),
                new Case("if additional output formats is empty, and secret has managed fields for combined pem for another managed, should return false",
                        empty, secret(Map.of(), entry("not-cert-manager", pemJson)), none()),
                new Case("if additional output formats is empty, and secret has managed fields for der for another managed, should return false",
                        empty, secret(Map.of(), entry("not-cert-manager", derJson)), none()),
                new Case("if additional output formats is empty, and secret has managed fields for combined pem and der for another managed, "
                        + "should return false", empty, secret(Map.of(), entry("not-cert-manager", bothJson)), none()),
                new Case("if additional output formats is empty, and secret has managed fields for combined pem, should return true", empty,
                        secret(Map.of(), entry(fm, pemJson)), mismatch),
                new Case("if additional output formats is empty, and secret has managed fields for der, should return true", empty,
                        secret(Map.of(), entry(fm, derJson)), mismatch),
                new Case("if additional output formats is empty, and secret has managed fields for combined pem and der, should return true", empty,
                        secret(Map.of(), entry(fm, bothJson)), mismatch),
                new Case("if additional output formats has combined pem, and secret has managed fields for combined pem for wrong manager, "
                        + "should return true", combined, secret(Map.of(), entry("not-cert-manager", pemJson)), mismatch),
                new Case("if additional output formats has der, and secret has managed fields for der for wrong manager, should return true", der,
                        secret(Map.of(), entry("not-cert-manager", derJson)), mismatch),
                new Case("if additional output formats has combined pem and der, and secret has managed fields for combined pem and der for wrong "
                        + "manager, should return true", both, secret(Map.of(), entry("not-cert-manager", bothJson)), mismatch),
                new Case("if additional output formats has combined pem, and secret has managed fields for combined pem, should return false",
                        combined, secret(Map.of(), entry(fm, pemJson)), none()),
                new Case("if additional output formats has der, and secret has managed fields for der, should return false", der,
                        secret(Map.of(), entry(fm, derJson)), none()),
                new Case("if additional output formats has combined pem and der, and secret has managed fields for combined pem and der, "
                        + "should return false", derFirst, secret(Map.of(), entry(fm, "{'f:data': {'.': {}, 'f:key.der': {}, 'f:tls-combined.pem': {}}}")),
                        none()),
                new Case("if additional output formats has combined pem and der, and secret has managed fields for combined pem and der in different "
                        + "slice elements, should return false", derFirst, secret(Map.of(), entry(fm, derJson), entry(fm, pemJson)), none()),
                new Case("if additional output formats has combined pem and der, and secret has managed fields for combined pem and der, and is also "
                        + "managed by another manager, should return false", derFirst,
                        secret(Map.of(), entry(fm, bothJson), entry("not-cert-manager", "{'f:data': {'.': {}, 'f:key.der': {}, 'f:tls-combined.pem': {}}}")),
                        none()));
        check(CertManagerOwnershipChecks.secretAdditionalOutputFormatsManagedFieldsMismatch(fm), cases, 18);
    }

    // ---- Test_SecretOwnerReferenceManagedFieldMismatch (fieldManager "cert-manager-test", Certificate uid "uid-123")

    @Test
    void wantsTheCertificatesOwnerReferenceOwnedByCertManagerExactlyWhenTheFlagIsOn() {
        String fm = "cert-manager-test";
        CertManagerSpec crt = CertManagerSpec.of("test-certificate", "", List.of()).withUid("uid-123");
        String otherUid = "{\"f:metadata\": {\"f:ownerReferences\": {\"k:{\\\"uid\\\":\\\"4c71e68f-5271-4b8d-9df5-5eb71d130d7d\\\"}\": {}}}}";
        String sameUid = "{\"f:metadata\": {\"f:ownerReferences\": {\"k:{\\\"uid\\\":\\\"uid-123\\\"}\": {}}}}";
        List<List<Case>> byFlag = new ArrayList<>();
        for (boolean enabled : new boolean[] {false, true}) {
            Optional<Violation> mismatch = violation("SecretOwnerRefMismatch",
                    "unexpected managed Secret Owner Reference field on Secret --enable-certificate-owner-ref=" + enabled);
            String flag = "ownerReferenceEnabled=" + enabled;
            byFlag.add(List.of(
                    new Case(flag + " no secret managed field owner reference should return " + enabled, crt, secret(Map.of()),
                            enabled ? mismatch : none()),
                    new Case(flag + " secret managed field owner reference for different UID should return " + enabled, crt,
                            secret(Map.of(), entry("cert-manager-test", otherUid)), enabled ? mismatch : none()),
                    new Case(flag + " secret managed field owner reference for same UID should return " + !enabled, crt,
                            secret(Map.of(), entry("cert-manager-test", sameUid)), enabled ? none() : mismatch),
                    new Case(flag + " secret managed field different owner reference for same UID should return " + enabled, crt,
                            secret(Map.of(), entry("not-cert-manager-test", sameUid)), enabled ? mismatch : none())));
        }
        check(CertManagerOwnershipChecks.secretOwnerReferenceManagedFieldMismatch(false, fm), byFlag.get(0), 4);
        check(CertManagerOwnershipChecks.secretOwnerReferenceManagedFieldMismatch(true, fm), byFlag.get(1), 4);
    }

    // ---- Test_SecretOwnerReferenceMismatch (Certificate "test-certificate", uid "uid-123")

    @Test
    void wantsTheControllerOwnerReferenceOfTheCertificateOnlyWhenTheFlagIsOn() {
        CertManagerSpec crt = CertManagerSpec.of("test-certificate", "", List.of()).withUid("uid-123");
        OwnerReference foo = new OwnerReference("foo.bar/v1", false, false, "Foo", "foo", "abc");
        OwnerReference bar = new OwnerReference("bar.foo/v1", true, true, "Bar", "bar", "def");
        OwnerReference correct = new OwnerReference("cert-manager.io/v1", true, true, "Certificate", "test-certificate", "uid-123");
        OwnerReference wrongName = new OwnerReference("cert-manager.io/v1", true, true, "Certificate", "foo", "uid-123");
        Optional<Violation> mismatch = violation("SecretOwnerRefMismatch",
                "unexpected Secret Owner Reference value on Secret --enable-certificate-owner-ref=true");
        List<Case> disabled = List.of(
                new Case("ownerReferenceEnabled=false no secret owner reference should return false", crt, owned(), none()),
                new Case("ownerReferenceEnabled=false secret has random owner reference should return false", crt, owned(foo), none()),
                new Case("ownerReferenceEnabled=false secret has multiple random owner reference should return false", crt, owned(foo, bar), none()),
                new Case("ownerReferenceEnabled=false secret has owner reference for certificate with correct value should return false", crt,
                        owned(foo, bar, correct), none()),
                new Case("ownerReferenceEnabled=false secret has owner reference for certificate with in-correct value should return false", crt,
                        owned(foo, bar, wrongName), none()));
        List<Case> enabled = List.of(
                // the Go name says "=false" but the case runs with the flag on
                new Case("ownerReferenceEnabled=false no secret owner reference should return true", crt, owned(), mismatch),
                new Case("ownerReferenceEnabled=true secret has random owner reference should return true", crt, owned(foo), mismatch),
                new Case("ownerReferenceEnabled=true secret has multiple random owner reference should return true", crt, owned(foo, bar), mismatch),
                new Case("ownerReferenceEnabled=true secret has owner reference for certificate with correct value should return false", crt,
                        owned(foo, bar, correct), none()),
                new Case("ownerReferenceEnabled=true secret has owner reference for certificate with wrong Name value should return true", crt,
                        owned(foo, bar, wrongName), mismatch),
                new Case("ownerReferenceEnabled=true secret has owner reference for certificate with wrong APIVersion value should return true", crt,
                        owned(foo, bar, new OwnerReference("acme.cert-manager.io/v1", true, true, "Certificate", "test-certificate", "uid-123")),
                        mismatch),
                new Case("ownerReferenceEnabled=true secret has owner reference for certificate with wrong Kind value should return true", crt,
                        owned(foo, bar, new OwnerReference("cert-manager.io/v1", true, true, "Issuer", "test-certificate", "uid-123")), mismatch),
                new Case("ownerReferenceEnabled=true secret has owner reference for certificate with wrong Controller value should return true", crt,
                        owned(foo, bar, new OwnerReference("cert-manager.io/v1", true, false, "Certificate", "test-certificate", "uid-123")),
                        mismatch),
                new Case("ownerReferenceEnabled=true secret has owner reference for certificate with wrong BlockDeletion value should return true",
                        crt, owned(foo, bar, new OwnerReference("cert-manager.io/v1", false, true, "Certificate", "test-certificate", "uid-123")),
                        mismatch));
        check(CertManagerOwnershipChecks.secretOwnerReferenceMismatch(false), disabled, 5);
        check(CertManagerOwnershipChecks.secretOwnerReferenceMismatch(true), enabled, 9);
    }

    // ---- helpers

    private static void check(Check check, List<Case> cases, int goCases) {
        assertThat(cases).as("cases transcribed from the Go test").hasSize(goCases);
        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases) {
            softly.assertThat(check.apply(c.spec(), c.secret(), NOW)).as(c.name()).isEqualTo(c.expected());
        }
        softly.assertAll();
    }

    private static CertManagerSpec template(String body) {
        return CertManagerPoliciesTest.spec("secretTemplate: {" + body + "}");
    }

    /** A managedFields entry as the Go tests make one: a manager and raw fieldsV1 JSON (single quotes for double). */
    static ManagedFieldsEntry entry(String manager, String json) {
        String text = json.contains("\\\"") ? json : json.replace('\'', '"');
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Apply").withFieldsType("FieldsV1")
                .withFieldsV1(JSON.unmarshal(text, FieldsV1.class)).build();
    }

    private static Secret secret(Map<String, String> data, ManagedFieldsEntry... managedFields) {
        Map<String, String> encoded = new HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        return new SecretBuilder().withNewMetadata().withName("something").withManagedFields(Arrays.asList(managedFields)).endMetadata()
                .withData(encoded).build();
    }

    private static Secret owned(OwnerReference... references) {
        return new SecretBuilder().withNewMetadata().withName("something").withOwnerReferences(Arrays.asList(references)).endMetadata().build();
    }

    private static Optional<Violation> none() {
        return Optional.empty();
    }

    private static Optional<Violation> violation(String reason, String message) {
        return Optional.of(new Violation(reason, message));
    }
}
