import dev.autocert4j.CertificateManager;
import dev.autocert4j.manifests.ManifestOptions;
import dev.autocert4j.manifests.Manifests;
import dev.autocert4j.manifests.k8s.IngressHttp01SolverFactory;
import dev.autocert4j.manifests.k8s.KubernetesSecretResolver;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** autocert4j-manifests-k8s from the BOM alone: an http01.ingress manifest is loaded; a fabric8 client serializes a Secret. */
public final class Smoke {
    static final String YAML = """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-http01
            spec:
              acme:
                server: https://acme-v02.api.letsencrypt.org/directory
                privateKeySecretRef: {name: letsencrypt-http01-account-key}
                solvers:
                - http01:
                    ingress: {name: challenge}
            """;

    public static void main(String[] args) throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder().build();   // the README's path; no API call
                Http01Solver http01 = Http01Solver.builder().mounted().build();
                IngressHttp01SolverFactory ingress = IngressHttp01SolverFactory.builder(client).namespace("shop")
                        .service("shop-acme", 80).responder(http01).build()) {
            Secret secret = new SecretBuilder().withNewMetadata().withName("smoke").withNamespace("shop").endMetadata()
                    .addToStringData("key", "value").build();
            String json = client.getKubernetesSerialization().asJson(secret);   // NoClassDefFoundError JsonSerializeAs here
            if (!json.contains("\"smoke\"")) {
                throw new AssertionError(json);
            }
            Manifests manifests = Manifests.parse(YAML, "smoke.yaml", ManifestOptions.builder()
                    .secrets(KubernetesSecretResolver.of(client))
                    .http01Solvers(ingress)
                    .build());
            manifests.applyTo(CertificateManager.builder()).store(new InMemoryCertificateStore()).build().close();
        }
        System.out.println("manifests-k8s: Secret serialized, manifest loaded");
    }
}
