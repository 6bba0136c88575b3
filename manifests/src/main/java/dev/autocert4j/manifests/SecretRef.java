package dev.autocert4j.manifests;

import static java.util.Objects.requireNonNull;

/**
 * One key of a Kubernetes Secret, as a manifest refers to it ({@code apiKeySecretRef},
 * {@code tsigSecretSecretRef}, {@code externalAccountBinding.keySecretRef}, {@code ca.secretName}).
 * Immutable; it holds no secret value.
 *
 * @param namespace where the Secret lives: the Issuer's namespace, or the cluster resource
 *     namespace ({@code cert-manager} unless configured) for a ClusterIssuer
 * @param name the Secret's name
 * @param key the key within the Secret
 */
public record SecretRef(String namespace, String name, String key) {
    /**
     * Validates the components.
     *
     * @param namespace see the record description
     * @param name see the record description
     * @param key see the record description
     */
    public SecretRef {
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        requireNonNull(key, "key");
        if (namespace.isBlank() || name.isBlank() || key.isBlank()) {
            throw new IllegalArgumentException("secret reference needs a namespace, name and key, was " + namespace + "/" + name + "/" + key);
        }
    }

    @Override
    public String toString() {
        return "secret " + namespace + "/" + name + " key " + key;
    }
}
