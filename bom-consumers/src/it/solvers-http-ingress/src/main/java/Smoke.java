import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** autocert4j-solvers-http-ingress from the BOM alone: a fabric8 client serializes a Secret; the solver is built. */
public final class Smoke {
    public static void main(String[] args) throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {   // the README's path; no API call
            Secret secret = new SecretBuilder().withNewMetadata().withName("smoke").withNamespace("shop").endMetadata()
                    .addToStringData("key", "value").build();
            String json = client.getKubernetesSerialization().asJson(secret);   // NoClassDefFoundError JsonSerializeAs here
            if (!json.contains("\"smoke\"")) {
                throw new AssertionError(json);
            }
            IngressHttp01Solver.builder(client).namespace("shop").service("shop-acme", 80).ingressClassName("nginx").build()
                    .close();
        }
        System.out.println("solvers-http-ingress: Secret serialized, solver built");
    }
}
