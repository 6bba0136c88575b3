package dev.autocert4j.solver.http.ingress.internal;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * cert-manager's {@code ingressTemplate.metadata}: the labels and annotations a temporary Ingress gets, each checked
 * as Kubernetes would when added, so a bad key fails at configuration rather than at the first challenge. Not
 * thread-safe: filled by one builder.
 */
public final class IngressTemplate {
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();

    /**
     * @param more labels to add: qualified-name keys, label values
     * @throws IllegalArgumentException naming the key or value that Kubernetes would refuse
     */
    public void addLabels(Map<String, String> more) {
        requireNonNull(more, "labels").forEach((key, value) -> {
            KubernetesNames.qualifiedName("label key", key);
            KubernetesNames.labelValue(key, value);
        });
        labels.putAll(more);
    }

    /**
     * @param more annotations to add: qualified-name keys, any non-null value
     * @throws IllegalArgumentException naming the key that Kubernetes would refuse
     */
    public void addAnnotations(Map<String, String> more) {
        requireNonNull(more, "annotations").forEach((key, value) -> {
            KubernetesNames.qualifiedName("annotation key", key);
            requireNonNull(value, "annotation " + key);
        });
        annotations.putAll(more);
    }

    /** @return the labels added so far, in the order added (live: later additions show) */
    public Map<String, String> labels() {
        return labels;
    }

    /** @return the annotations added so far, in the order added (live: later additions show) */
    public Map<String, String> annotations() {
        return annotations;
    }
}
