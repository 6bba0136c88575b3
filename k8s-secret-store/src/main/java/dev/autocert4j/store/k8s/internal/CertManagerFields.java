package dev.autocert4j.store.k8s.internal;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What cert-manager's issuing controller owns in a Secret it wrote, from the Secret's {@code managedFields}:
 * it writes with server-side apply as field manager {@value #FIELD_MANAGER} ({@code pkg/controller/context.go}:
 * {@code FieldManager = util.PrefixFromUserAgent(UserAgent)}, the user agent being {@code cert-manager-} plus the
 * controller name {@code certificates-issuing}, {@code pkg/util/useragent.go}). Stateless.
 */
final class CertManagerFields {
    /** cert-manager's field manager for certificate Secrets. */
    static final String FIELD_MANAGER = "cert-manager-certificates-issuing";

    private CertManagerFields() {
    }

    /**
     * The keys of {@code metadata.annotations} or {@code metadata.labels} that cert-manager's field manager owns,
     * less cert-manager's own ({@code cert-manager.io/}, {@code controller.cert-manager.io/}): what it applied from
     * the Certificate's {@code secretTemplate}, as {@code secretLabelsAndAnnotationsManagedFields} and
     * {@code SecretSecretTemplateManagedFieldsMismatch} ({@code internal/controller/certificates/policies/checks.go})
     * compute it.
     *
     * @param secret a Secret as read
     * @param field {@code f:annotations} or {@code f:labels}
     * @return the keys; empty when the Secret has no managed fields of cert-manager's
     */
    static Set<String> templateKeys(Secret secret, String field) {
        Set<String> keys = new TreeSet<>();
        List<ManagedFieldsEntry> entries = secret.getMetadata().getManagedFields();
        for (ManagedFieldsEntry entry : entries == null ? List.<ManagedFieldsEntry>of() : entries) {
            if (!FIELD_MANAGER.equals(entry.getManager()) || entry.getFieldsV1() == null) {
                continue;
            }
            if (entry.getFieldsV1().getAdditionalProperties().get("f:metadata") instanceof Map<?, ?> metadata
                    && metadata.get(field) instanceof Map<?, ?> owned) {
                for (Object name : owned.keySet()) {
                    String key = String.valueOf(name);
                    if (key.startsWith("f:")) {
                        keys.add(key.substring(2));
                    }
                }
            }
        }
        keys.removeIf(k -> k.startsWith("cert-manager.io/") || k.startsWith("controller.cert-manager.io/"));
        return keys;
    }
}
