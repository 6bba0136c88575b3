package dev.autocert4j.manifests.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.manifests.ManifestException;
import dev.autocert4j.manifests.ManifestOptions;
import dev.autocert4j.manifests.Manifests;
import dev.autocert4j.manifests.SecretRef;
import dev.autocert4j.manifests.SecretResolver;
import dev.autocert4j.testing.support.KnownSecrets;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Moved from manifests' SecretResolverTest with {@code SecretResolver.kubernetes}. */
class KubernetesSecretResolverTest {
    static final SecretRef SEED = new SecretRef("cert-manager", "cloudflare-apikey", "apikey");
    static final String KEY = KnownSecrets.register("resolver-key-00112233445566778899");
    static final String DNS01_ISSUER = """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-dns01
            spec:
              acme:
                privateKeySecretRef:
                  name: letsencrypt-dns01
                server: https://acme-v02.api.letsencrypt.org/directory
                solvers:
                - dns01:
                    cloudflare:
                      email: ops@example.com
                      apiKeySecretRef:
                        key: apikey
                        name: cloudflare-apikey
            """;

    @Test
    void readsKubernetesSecretsOfTheRightNamespace() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            api.client().secrets().inNamespace("cert-manager").resource(new SecretBuilder().withNewMetadata()
                    .withName("cloudflare-apikey").endMetadata()
                    .addToData("apikey", Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8))).build()).create();
            SecretResolver k8s = KubernetesSecretResolver.of(api.client());

            assertThat(k8s.resolve(SEED)).contains(KEY);
            assertThat(k8s.resolve(new SecretRef("default", "cloudflare-apikey", "apikey"))).isEmpty();
            assertThat(k8s.resolve(new SecretRef("cert-manager", "cloudflare-apikey", "nope"))).isEmpty();
            assertThat(k8s.toString()).doesNotContain(KEY);
        }
    }

    @Test
    void aManifestsSecretComesFromTheKubernetesApiInTheClusterResourceNamespace() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            api.client().secrets().inNamespace("platform").resource(new SecretBuilder().withNewMetadata()
                    .withName("cloudflare-apikey").endMetadata()
                    .addToData("apikey", Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8))).build()).create();

            ManifestOptions platform = ManifestOptions.builder().secrets(KubernetesSecretResolver.of(api.client()))
                    .clusterResourceNamespace("platform").build();
            assertThat(Manifests.parse(DNS01_ISSUER, "i.yaml", platform).solvers()).hasSize(1);

            ManifestOptions defaults = ManifestOptions.builder().secrets(KubernetesSecretResolver.of(api.client())).build();
            assertThatThrownBy(() -> Manifests.parse(DNS01_ISSUER, "i.yaml", defaults))
                    .isInstanceOf(ManifestException.class)
                    .hasMessageContaining("secret cert-manager/cloudflare-apikey key apikey was not found")
                    .hasMessageNotContaining(KEY);
        }
    }
}
