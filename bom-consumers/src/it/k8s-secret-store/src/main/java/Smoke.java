import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** autocert4j-k8s-secret-store from the BOM alone: a fabric8 client serializes a Secret; store and locks are built. */
public final class Smoke {
    public static void main(String[] args) throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {   // the README's path; no API call
            Secret secret = new SecretBuilder().withNewMetadata().withName("smoke").withNamespace("shop").endMetadata()
                    .addToStringData("key", "value").build();
            String json = client.getKubernetesSerialization().asJson(secret);   // NoClassDefFoundError JsonSerializeAs here
            if (!json.contains("\"smoke\"")) {
                throw new AssertionError(json);
            }
            KubernetesSecretStore.builder(client).clusterResourceNamespace("shop").build();
            KubernetesLeaseLockProvider.builder(client).namespace("shop").holderIdentity("smoke").build().close();
        }
        System.out.println("k8s-secret-store: Secret serialized, store built");
    }
}
