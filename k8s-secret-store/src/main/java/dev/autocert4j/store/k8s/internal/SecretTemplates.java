package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.SecretTemplate;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Certificate's {@code secretTemplate} on its Secret, as cert-manager's
 * {@code pkg/controller/certificates/issuing/internal/secret.go} ({@code setValues}) puts it there: the
 * template's annotations and labels first, then cert-manager's own annotations and its
 * {@code controller.cert-manager.io/fao} label over them. cert-manager applies them with server-side
 * apply, so a key it applied before and the template no longer names is removed, and keys that
 * others set stay; without server-side apply we remember the keys we applied in our own annotations
 * and remove exactly those (in a Secret cert-manager wrote: those its field manager owns,
 * {@link CertManagerFields}). Unlike server-side apply, a key that another writer also set is removed all
 * the same. Stateless.
 */
public final class SecretTemplates {
    /** Our annotation listing the annotation keys the last write took from the template. */
    static final String APPLIED_ANNOTATIONS = KubernetesSecretStore.PREFIX + "template-annotations";
    /** Our annotation listing the label keys the last write took from the template. */
    static final String APPLIED_LABELS = KubernetesSecretStore.PREFIX + "template-labels";

    private SecretTemplates() {
    }

    /**
     * @param template the certificate's template
     * @param written the Secret about to be written, with cert-manager's and our annotations set
     * @param previous the Secret as read before, or null when there was none
     * @return {@code written} with the template applied and the keys it no longer names removed
     */
    public static Secret apply(SecretTemplate template, Secret written, Secret previous) {
        Map<String, String> annotations = new LinkedHashMap<>(SecretCodec.annotations(written));
        Map<String, String> labels = new LinkedHashMap<>(labels(written));
        if (previous != null) {
            Map<String, String> before = SecretCodec.annotations(previous);
            for (String key : applied(previous, before, APPLIED_ANNOTATIONS, "f:annotations")) {
                if (!template.annotations().containsKey(key) && !owned(key)) {
                    annotations.remove(key);
                }
            }
            for (String key : applied(previous, before, APPLIED_LABELS, "f:labels")) {
                if (!template.labels().containsKey(key) && !key.equals(SecretCodec.FAO)) {
                    labels.remove(key);
                }
            }
        }
        template.annotations().forEach((key, value) -> {
            if (!owned(key)) {
                annotations.put(key, value);
            }
        });
        template.labels().forEach((key, value) -> {
            if (!key.equals(SecretCodec.FAO)) {
                labels.put(key, value);
            }
        });
        record(annotations, APPLIED_ANNOTATIONS, template.annotations().keySet());
        record(annotations, APPLIED_LABELS, template.labels().keySet());
        return new SecretBuilder(written).editMetadata().withAnnotations(annotations).withLabels(labels).endMetadata().build();
    }

    /** cert-manager's own annotations win over the template, and so does our state. */
    private static boolean owned(String key) {
        return SecretCodec.OWNED_ANNOTATIONS.contains(key) || key.startsWith(KubernetesSecretStore.PREFIX);
    }

    private static Map<String, String> labels(Secret secret) {
        Map<String, String> l = secret.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }

    /**
     * The template keys the previous writer applied: from our record; in a Secret that we never wrote (one
     * cert-manager wrote, adopted), the keys cert-manager's field manager owns, as cert-manager's
     * {@code SecretSecretTemplateManagedFieldsMismatch} ({@code internal/controller/certificates/policies/checks.go})
     * reads them.
     */
    private static Set<String> applied(Secret previous, Map<String, String> before, String record, String field) {
        if (before.containsKey(record) || before.containsKey(SecretCodec.FINGERPRINT)) {
            return keys(before.get(record));
        }
        return CertManagerFields.templateKeys(previous, field);
    }

    private static Set<String> keys(String recorded) {
        return recorded == null || recorded.isEmpty() ? Set.of() : Set.of(recorded.split(","));
    }

    private static void record(Map<String, String> annotations, String key, Set<String> applied) {
        TreeSet<String> sorted = new TreeSet<>(applied);
        sorted.removeIf(k -> owned(k) || k.equals(SecretCodec.FAO));
        if (sorted.isEmpty()) {
            annotations.remove(key);
        } else {
            annotations.put(key, String.join(",", Arrays.asList(sorted.toArray(String[]::new))));
        }
    }
}
