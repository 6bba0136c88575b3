package dev.autocert4j.manifests.k8s;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.manifests.SecretRef;
import dev.autocert4j.manifests.SecretResolver;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads a manifest's secret references from Kubernetes Secrets through the API server: the key in
 * {@code data}, base64 decoded, as a UTF-8 string, else in {@code stringData}. Thread-safe.
 *
 * <pre>{@code
 * ManifestOptions.builder().secrets(KubernetesSecretResolver.of(client))
 * }</pre>
 */
public final class KubernetesSecretResolver implements SecretResolver {
    private final KubernetesClient client;

    private KubernetesSecretResolver(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param client the client, owned by the caller
     * @return a resolver asking the API server
     */
    public static KubernetesSecretResolver of(KubernetesClient client) {
        return new KubernetesSecretResolver(requireNonNull(client, "client"));
    }

    @Override
    public Optional<String> resolve(SecretRef ref) throws IOException {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
        } catch (KubernetesClientException e) {
            throw new IOException("cannot read " + ref + " from the Kubernetes API: HTTP " + e.getCode(), null);
        }
        if (secret == null) {
            return Optional.empty();
        }
        if (secret.getData() != null && secret.getData().containsKey(ref.key())) {
            try {
                return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(ref.key())), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IOException(ref + " is not base64 in the Secret's data", null);
            }
        }
        if (secret.getStringData() != null && secret.getStringData().containsKey(ref.key())) {
            return Optional.of(secret.getStringData().get(ref.key()));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "KubernetesSecretResolver";
    }
}
