import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.manifests.ManifestOptions;
import dev.autocert4j.manifests.Manifests;
import dev.autocert4j.manifests.k8s.IngressHttp01SolverFactory;
import dev.autocert4j.manifests.k8s.KubernetesSecretResolver;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Every module from the BOM: the issue-19 set (manifests with a Cloudflare and an Ingress solver, fabric8) loads,
 * a fabric8 client serializes a Secret, and a self-signed certificate is stored as a Secret in the mock API.
 */
public final class Smoke {
    static final String YAML = """
            apiVersion: v1
            kind: Secret
            metadata: {name: cloudflare-api-token, namespace: cert-manager}
            stringData: {api-token: smoke-token-not-a-secret}
            ---
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: letsencrypt-dns01}
            spec:
              acme:
                server: https://acme-v02.api.letsencrypt.org/directory
                privateKeySecretRef: {name: letsencrypt-dns01}
                solvers:
                - dns01:
                    cloudflare:
                      apiTokenSecretRef: {name: cloudflare-api-token, key: api-token}
            ---
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: letsencrypt-http01}
            spec:
              acme:
                server: https://acme-v02.api.letsencrypt.org/directory
                privateKeySecretRef: {name: letsencrypt-http01}
                solvers:
                - http01:
                    ingress: {ingressClassName: nginx}
            ---
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: selfsigned}
            spec:
              selfSigned: {}
            """;

    public static void main(String[] args) throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {   // the README's path; no API call
            Secret secret = new SecretBuilder().withNewMetadata().withName("smoke").withNamespace("shop").endMetadata()
                    .addToStringData("key", "value").build();
            String json = client.getKubernetesSerialization().asJson(secret);   // NoClassDefFoundError JsonSerializeAs here
            if (!json.contains("\"smoke\"")) {
                throw new AssertionError(json);
            }
        }
        try (KubernetesMockApi api = new KubernetesMockApi(); Http01Solver http01 = Http01Solver.builder().mounted().build();
                IngressHttp01SolverFactory ingress = IngressHttp01SolverFactory.builder(api.client()).namespace("shop")
                        .service("shop-acme", 80).responder(http01).build()) {
            Manifests manifests = Manifests.parse(YAML, "smoke.yaml", ManifestOptions.builder()
                    .secrets(KubernetesSecretResolver.of(api.client()))
                    .http01Solvers(ingress)
                    .build());
            try (CertificateManager manager = manifests.applyTo(CertificateManager.builder())
                    .store(KubernetesSecretStore.of(api.client())).build()) {
                manager.obtain(Certificate.builder("www").namespace("shop").secretName("www-tls")
                        .dnsNames("www.example.test").issuerRef(IssuerRef.clusterIssuer("selfsigned")).build());
            }
            Secret stored = api.inspector().secrets().inNamespace("shop").withName("www-tls").get();
            if (stored == null || !stored.getType().equals("kubernetes.io/tls")) {
                throw new AssertionError("no TLS Secret www-tls");
            }
        }
        System.out.println("all: manifests with Cloudflare and Ingress solvers loaded, Secret serialized and stored");
    }
}
