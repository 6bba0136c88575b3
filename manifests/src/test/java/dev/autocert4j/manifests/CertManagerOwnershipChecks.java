package dev.autocert4j.manifests;

import dev.autocert4j.manifests.CertManagerPolicies.Check;
import dev.autocert4j.manifests.CertManagerPolicies.Violation;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The checks of cert-manager's {@code NewSecretPostIssuancePolicyChain} (v1.21,
 * {@code internal/controller/certificates/policies/checks.go}) that read who owns what in the Secret: its
 * server-side-apply {@code metadata.managedFields} for cert-manager's field manager, and its
 * {@code ownerReferences} under {@code --enable-certificate-owner-ref}. Each names the Go function it ports. A
 * violation here makes cert-manager's issuing controller re-apply the Secret's metadata and data
 * ({@code pkg/controller/certificates/issuing/secret_manager.go ensureSecretData}); it never issues.
 */
final class CertManagerOwnershipChecks {
    /**
     * cert-manager's field manager for certificate Secrets: {@code pkg/controller/context.go} sets
     * {@code FieldManager = util.PrefixFromUserAgent(restConfig.UserAgent)}, the user agent starting with
     * {@code cert-manager-certificates-issuing/} for the issuing controller ({@code pkg/util/useragent.go}).
     */
    static final String FIELD_MANAGER = "cert-manager-certificates-issuing";

    private static final String CM = "cert-manager.io/";
    private static final String CONTROLLER_CM = "controller.cert-manager.io/";

    private CertManagerOwnershipChecks() {
    }

    /** checks.go SecretManagedLabelsAndAnnotationsManagedFieldsMismatch. */
    static Check secretManagedLabelsAndAnnotationsManagedFieldsMismatch(String fieldManager) {
        return (spec, secret, now) -> onManagedKeys(secret, fieldManager, (managedLabels, managedAnnotations) -> {
            // keep only cert-manager's keys, less those the post-issuance controller cannot set
            managedAnnotations.removeIf(k -> !isCertManagers(k));
            managedAnnotations.removeAll(List.of(CM + "certificate-name", CM + "issuer-name", CM + "issuer-kind", CM + "issuer-group"));
            managedLabels.removeIf(k -> !isCertManagers(k));
            Set<String> expectedAnnotations;
            try {
                expectedAnnotations = new TreeSet<>(certificateDataAnnotationsForSecret(secret).keySet());
            } catch (IOException | CertificateException | RuntimeException e) {
                return Optional.of(new Violation("InvalidCertificate", "Failed getting secret annotations: " + e.getMessage()));
            }
            return setsMismatch(Set.of(CONTROLLER_CM + "fao"), managedLabels, "SecretManagedMetadataMismatch",
                    "Secret is missing these Managed Labels: ", "Secret has these extra Labels: ")
                    .or(() -> setsMismatch(expectedAnnotations, managedAnnotations, "SecretManagedMetadataMismatch",
                            "Secret is missing these Managed Annotations: ", "Secret has these extra Annotations: "));
        });
    }

    /** checks.go SecretSecretTemplateManagedFieldsMismatch. */
    static Check secretSecretTemplateManagedFieldsMismatch(String fieldManager) {
        return (spec, secret, now) -> onManagedKeys(secret, fieldManager, (managedLabels, managedAnnotations) -> {
            // keep only the template's keys: cert-manager's own are checked above
            managedAnnotations.removeIf(CertManagerOwnershipChecks::isCertManagers);
            managedLabels.removeIf(CertManagerOwnershipChecks::isCertManagers);
            return setsMismatch(spec.templateLabels().keySet(), managedLabels, "SecretTemplateMismatch",
                    "Secret is missing these Template Labels: ", "Secret has these extra Labels: ")
                    .or(() -> setsMismatch(spec.templateAnnotations().keySet(), managedAnnotations, "SecretTemplateMismatch",
                            "Secret is missing these Template Annotations: ", "Secret has these extra Annotations: "));
        });
    }

    /** checks.go SecretAdditionalOutputFormatsManagedFieldsMismatch. */
    static Check secretAdditionalOutputFormatsManagedFieldsMismatch(String fieldManager) {
        return (spec, secret, now) -> {
            boolean crtHasCombinedPem = spec.outputFormats().contains("CombinedPEM");
            boolean crtHasDer = spec.outputFormats().contains("DER");
            boolean secretHasCombinedPem = false;
            boolean secretHasDer = false;
            try {
                for (ManagedFieldSet fields : managedFieldSets(secret, fieldManager)) {
                    secretHasCombinedPem |= fields.has(List.of(ManagedFieldSet.field("data"), ManagedFieldSet.field("tls-combined.pem")));
                    secretHasDer |= fields.has(List.of(ManagedFieldSet.field("data"), ManagedFieldSet.field("key.der")));
                }
            } catch (IOException e) {
                return parseError(e);
            }
            if (crtHasCombinedPem != secretHasCombinedPem || crtHasDer != secretHasDer) {
                return Optional.of(new Violation("AdditionalOutputFormatsMismatch",
                        "Certificate's AdditionalOutputFormats doesn't match Secret ManagedFields"));
            }
            return Optional.empty();
        };
    }

    /** checks.go SecretOwnerReferenceMismatch: with the flag, an owner reference exactly as NewControllerRef makes it. */
    static Check secretOwnerReferenceMismatch(boolean ownerRefEnabled) {
        return (spec, secret, now) -> {
            if (!ownerRefEnabled) {
                return Optional.empty();
            }
            List<OwnerReference> references = secret.getMetadata() == null || secret.getMetadata().getOwnerReferences() == null
                    ? List.of() : secret.getMetadata().getOwnerReferences();
            boolean matching = references.stream().anyMatch(r -> nullToEmpty(r.getUid()).equals(spec.uid())
                    && semanticallyEqual(r, controllerRef(spec)));
            return matching ? Optional.empty() : Optional.of(new Violation("SecretOwnerRefMismatch",
                    "unexpected Secret Owner Reference value on Secret --enable-certificate-owner-ref=true"));
        };
    }

    /** checks.go SecretOwnerReferenceManagedFieldMismatch. */
    static Check secretOwnerReferenceManagedFieldMismatch(boolean ownerRefEnabled, String fieldManager) {
        return (spec, secret, now) -> {
            boolean owned = false;
            try {
                for (ManagedFieldSet fields : managedFieldSets(secret, fieldManager)) {
                    if (fields.has(List.of(ManagedFieldSet.field("metadata"), ManagedFieldSet.field("ownerReferences"),
                            ManagedFieldSet.key(Map.of("uid", spec.uid()))))) {
                        owned = true;
                        break;
                    }
                }
            } catch (IOException e) {
                return parseError(e);
            }
            if (ownerRefEnabled != owned) {
                return Optional.of(new Violation("SecretOwnerRefMismatch",
                        "unexpected managed Secret Owner Reference field on Secret --enable-certificate-owner-ref=" + ownerRefEnabled));
            }
            return Optional.empty();
        };
    }

    /**
     * metav1.NewControllerRef(crt, cert-manager.io/v1 Certificate): controller and blockOwnerDeletion true.
     *
     * @param spec the Certificate
     * @return the owner reference cert-manager sets with {@code --enable-certificate-owner-ref}
     */
    static OwnerReference controllerRef(CertManagerSpec spec) {
        return new OwnerReference("cert-manager.io/v1", true, true, "Certificate", spec.name(), spec.uid());
    }

    // ---- helpers

    /**
     * checks.go secretLabelsAndAnnotationsManagedFields: the label and annotation keys the field manager owns, handed
     * to the check (as mutable sets); a ManagedFieldsParseError when they cannot be decoded.
     */
    private static Optional<Violation> onManagedKeys(Secret secret, String fieldManager,
            BiFunction<Set<String>, Set<String>, Optional<Violation>> check) {
        Set<String> labels = new TreeSet<>();
        Set<String> annotations = new TreeSet<>();
        try {
            for (ManagedFieldSet fields : managedFieldSets(secret, fieldManager)) {
                ManagedFieldSet metadata = fields.descend(ManagedFieldSet.field("metadata"));
                metadata.descend(ManagedFieldSet.field("labels")).iterateFieldPaths(labels::add);
                metadata.descend(ManagedFieldSet.field("annotations")).iterateFieldPaths(annotations::add);
            }
        } catch (IOException e) {
            return parseError(e);
        }
        return check.apply(labels, annotations);
    }

    /** The entries of the field manager that have fieldsV1, decoded as FieldsV1 / Set.FromJSON. */
    private static List<ManagedFieldSet> managedFieldSets(Secret secret, String fieldManager) throws IOException {
        List<ManagedFieldsEntry> entries = secret.getMetadata() == null || secret.getMetadata().getManagedFields() == null
                ? List.of() : secret.getMetadata().getManagedFields();
        List<ManagedFieldSet> sets = new java.util.ArrayList<>();
        for (ManagedFieldsEntry entry : entries) {
            if (fieldManager.equals(entry.getManager()) && entry.getFieldsV1() != null) {
                sets.add(ManagedFieldSet.fromJson(entry.getFieldsV1()));
            }
        }
        return sets;
    }

    /** checks.go certificateDataAnnotationsForSecret: AnnotationsForCertificate of tls.crt; none without one. */
    private static Map<String, String> certificateDataAnnotationsForSecret(Secret secret) throws IOException, CertificateException {
        String crt = secret.getData() == null ? null : secret.getData().get("tls.crt");
        if (crt == null || crt.isEmpty()) {
            return Map.of();
        }
        X509Certificate certificate = CertManagerPolicies.decodeCertificate(Base64.getDecoder().decode(crt));
        return CertManagerPolicies.annotationsForCertificate(certificate);
    }

    /** The missing keys first, then the extra ones, each as sets.List prints them (sorted, Go's %v). */
    private static Optional<Violation> setsMismatch(Set<String> expected, Set<String> managed, String reason, String missing, String extra) {
        if (managed.equals(expected)) {
            return Optional.empty();
        }
        Set<String> absent = new TreeSet<>(expected);
        absent.removeAll(managed);
        if (!absent.isEmpty()) {
            return Optional.of(new Violation(reason, missing + goList(absent)));
        }
        Set<String> surplus = new TreeSet<>(managed);
        surplus.removeAll(expected);
        return Optional.of(new Violation(reason, extra + goList(surplus)));
    }

    private static boolean isCertManagers(String key) {
        return key.startsWith(CM) || key.startsWith(CONTROLLER_CM);
    }

    /** apiequality.Semantic.DeepEqual of two OwnerReferences: every field, pointers by their values. */
    private static boolean semanticallyEqual(OwnerReference a, OwnerReference b) {
        return nullToEmpty(a.getApiVersion()).equals(nullToEmpty(b.getApiVersion())) && nullToEmpty(a.getKind()).equals(nullToEmpty(b.getKind()))
                && nullToEmpty(a.getName()).equals(nullToEmpty(b.getName())) && nullToEmpty(a.getUid()).equals(nullToEmpty(b.getUid()))
                && Objects.equals(a.getController(), b.getController()) && Objects.equals(a.getBlockOwnerDeletion(), b.getBlockOwnerDeletion());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Optional<Violation> parseError(IOException e) {
        return Optional.of(new Violation("ManagedFieldsParseError", "failed to decode managed fields on Secret: " + e.getMessage()));
    }

    private static String goList(Set<String> values) {
        return "[" + String.join(" ", values) + "]";
    }
}
