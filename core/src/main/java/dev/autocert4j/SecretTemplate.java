package dev.autocert4j;

import dev.autocert4j.internal.text.Arguments;
import java.util.Map;

/**
 * cert-manager's {@code spec.secretTemplate}: annotations and labels a Secret store puts on the
 * Secret that holds the certificate, as cert-manager's
 * {@code internal/controller/certificates/issuing/internal/secret.go} does. A key removed from the
 * template is removed from the Secret on its next write; keys the template never named are left alone.
 *
 * @param annotations annotations to put on the Secret; no {@code cert-manager.io/} keys except
 *     {@code cert-manager.io/allow-direct-injection}, as cert-manager's webhook requires
 * @param labels labels to put on the Secret
 */
public record SecretTemplate(Map<String, String> annotations, Map<String, String> labels) {
    private static final SecretTemplate EMPTY = new SecretTemplate(Map.of(), Map.of());

    /**
     * Validates and copies the maps.
     *
     * @param annotations see the record description
     * @param labels see the record description
     */
    public SecretTemplate {
        annotations = Map.copyOf(Arguments.noNulls("secretTemplate.annotations", annotations));
        labels = Map.copyOf(Arguments.noNulls("secretTemplate.labels", labels));
        for (String key : annotations.keySet()) {
            // internal/apis/certmanager/validation/certificate.go: validateSecretTemplateAnnotations
            if (key.startsWith("cert-manager.io/") && !key.equals("cert-manager.io/allow-direct-injection")) {
                throw new IllegalArgumentException("secretTemplate.annotations." + key + ": cert-manager.io/* annotations "
                        + "are written by the store itself and not allowed in a template; remove it");
            }
        }
    }

    /** @return the template without annotations or labels, what a certificate has unless one is set */
    public static SecretTemplate empty() {
        return EMPTY;
    }

    /** @return whether the template names no annotation and no label */
    public boolean isEmpty() {
        return annotations.isEmpty() && labels.isEmpty();
    }
}
