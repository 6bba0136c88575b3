package dev.autocert4j.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KubernetesMockApi refuses what a real API server refuses, with the API server's answer. */
class ApiServerValidationTest {
    private static final String NS = "shop";
    private final KubernetesMockApi api = new KubernetesMockApi();

    @AfterEach
    void stop() {
        api.close();
    }

    private static SecretBuilder secret(String name) {
        return new SecretBuilder().withNewMetadata().withName(name).endMetadata();
    }

    private Secret create(Secret secret) {
        return api.client().secrets().inNamespace(NS).resource(secret).create();
    }

    private static KubernetesClientException refusal(Throwable t) {
        return (KubernetesClientException) t;
    }

    @Test
    void refusesASecretNameThatIsNoDns1123SubdomainWith422InvalidAndTheFieldCause() {
        assertThatThrownBy(() -> create(secret("Certs_Shop").build())).isInstanceOf(KubernetesClientException.class)
                .satisfies(t -> {
                    KubernetesClientException e = refusal(t);
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getMessage()).startsWith("Secret \"Certs_Shop\" is invalid: metadata.name: Invalid value: \"Certs_Shop\": a lowercase RFC 1123 subdomain");
                    assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies(c -> {
                        assertThat(c.getField()).isEqualTo("metadata.name");
                        assertThat(c.getReason()).isEqualTo("FieldValueInvalid");
                    });
                });
        assertThatThrownBy(() -> create(secret("a".repeat(254)).build())).satisfies(t -> assertThat(refusal(t).getCode()).isEqualTo(422));
        assertThat(api.inspector().secrets().inNamespace(NS).list().getItems()).as("nothing stored").isEmpty();

        assertThat(create(secret("a".repeat(63) + "." + "b".repeat(63)).build())).isNotNull();
    }

    @Test
    void refusesLabelKeysWhoseNamePartIsLongerThan63OrWhosePrefixIsNoSubdomainAndLabelValuesLongerThan63() {
        for (Map<String, String> labels : java.util.List.of(Map.of("n".repeat(64), "v"), Map.of("Example.COM/name", "v"),
                Map.of("example.com/-name", "v"), Map.of("a/b/c", "v"), Map.of("k", "v".repeat(64)), Map.of("k", "not ok"))) {
            assertThatThrownBy(() -> create(secret("labelled").editMetadata().withLabels(labels).endMetadata().build()))
                    .as(labels.toString()).satisfies(t -> {
                        assertThat(refusal(t).getCode()).isEqualTo(422);
                        assertThat(refusal(t).getStatus().getDetails().getCauses()).allSatisfy(c ->
                                assertThat(c.getField()).isEqualTo("metadata.labels"));
                    });
        }
        create(secret("labelled").editMetadata().withLabels(Map.of("cert-manager.io/" + "n".repeat(63), "v".repeat(63),
                "app.kubernetes.io/name", "", "A_b.c-D", "x_Y.z-1")).endMetadata().build());
    }

    @Test
    void refusesAnnotationsOver256KiBInAllAndKeysThatAreNoQualifiedNames() {
        String key = "example.com/big";
        int limit = ApiServerValidation.TOTAL_ANNOTATION_SIZE_LIMIT;
        assertThatThrownBy(() -> create(secret("annotated").editMetadata().withAnnotations(Map.of(key, "x".repeat(limit - key.length() + 1)))
                .endMetadata().build())).satisfies(t -> {
                    assertThat(refusal(t).getCode()).isEqualTo(422);
                    assertThat(refusal(t).getStatus().getMessage()).contains("metadata.annotations: Too long: must have at most 262144 bytes");
                });
        assertThatThrownBy(() -> create(secret("annotated").editMetadata().withAnnotations(Map.of("bad key", "v")).endMetadata().build()))
                .satisfies(t -> assertThat(refusal(t).getCode()).isEqualTo(422));

        create(secret("annotated").editMetadata().withAnnotations(Map.of(key, "x".repeat(limit - key.length()))).endMetadata().build());
    }

    @Test
    void refusesSecretDataOver1MiBBadDataKeysAndATlsSecretWithoutItsKey() {
        String big = Base64.getEncoder().encodeToString(new byte[ApiServerValidation.MAX_SECRET_SIZE + 1]);
        assertThatThrownBy(() -> create(secret("big").withData(Map.of("blob", big)).build())).satisfies(t -> {
            assertThat(refusal(t).getCode()).isEqualTo(422);
            assertThat(refusal(t).getStatus().getDetails().getCauses()).singleElement().satisfies(c -> {
                assertThat(c.getField()).isEqualTo("data");
                assertThat(c.getReason()).isEqualTo("FieldValueTooLong");
            });
        });
        assertThatThrownBy(() -> create(secret("keys").withData(Map.of("a/b", "eA==")).build()))
                .satisfies(t -> assertThat(refusal(t).getStatus().getDetails().getCauses().get(0).getField()).isEqualTo("data[a/b]"));
        assertThatThrownBy(() -> create(secret("tls").withType("kubernetes.io/tls").withData(Map.of("tls.crt", "eA==")).build()))
                .satisfies(t -> assertThat(refusal(t).getStatus().getMessage()).isEqualTo("Secret \"tls\" is invalid: data[tls.key]: Required value"));

        create(secret("big").withData(Map.of("blob", Base64.getEncoder().encodeToString(new byte[ApiServerValidation.MAX_SECRET_SIZE]))).build());
        create(secret("tls").withType("kubernetes.io/tls").withData(Map.of("tls.crt", "eA==", "tls.key", "eA==")).build());
    }

    @Test
    void aLeaseUpdateNeedsAResourceVersionButASecretUpdateDoesNot() throws Exception {
        Lease lease = api.client().leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName("lock")
                .endMetadata().withNewSpec().withHolderIdentity("a").endSpec().build()).create();
        create(secret("s").build());

        HttpResponse<String> leaseWithout = put("/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/lock",
                "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"lock\",\"namespace\":\"" + NS
                        + "\"},\"spec\":{\"holderIdentity\":\"b\"}}");
        HttpResponse<String> leaseStale = put("/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/lock",
                "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"lock\",\"namespace\":\"" + NS
                        + "\",\"resourceVersion\":\"" + lease.getMetadata().getResourceVersion() + "0\"},\"spec\":{\"holderIdentity\":\"b\"}}");
        HttpResponse<String> secretWithout = put("/api/v1/namespaces/" + NS + "/secrets/s",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":\"" + NS + "\"},\"data\":{\"k\":\"eA==\"}}");

        assertThat(leaseWithout.statusCode()).isEqualTo(422);
        assertThat(leaseWithout.body()).contains("Lease.coordination.k8s.io \\\"lock\\\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
        assertThat(leaseStale.statusCode()).as("the CRUD mock's own check").isEqualTo(409);
        assertThat(secretWithout.statusCode()).as("Secrets allow unconditional updates").isEqualTo(200);
        assertThat(api.inspector().leases().inNamespace(NS).withName("lock").get().getSpec().getHolderIdentity()).isEqualTo("a");
    }

    @Test
    void aCreateThatCarriesAResourceVersionFailsAsTheStorageLayerFailsIt() throws Exception {
        // Sent raw: fabric8's client retries a 500 with backoff (about 20 s) before it gives up.
        HttpResponse<String> copied = send("POST", "/api/v1/namespaces/" + NS + "/secrets",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"copied\",\"resourceVersion\":\"42\"}}");

        assertThat(copied.statusCode()).isEqualTo(500);
        assertThat(copied.body()).contains("resourceVersion should not be set on objects to be created");
        assertThat(api.inspector().secrets().inNamespace(NS).withName("copied").get()).isNull();
    }

    @Test
    void refusesAnIngressWithAnIpHostOrARelativePath() {
        assertThatThrownBy(() -> api.client().network().v1().ingresses().inNamespace(NS).resource(new IngressBuilder()
                .withNewMetadata().withName("acme").endMetadata().withNewSpec().addNewRule().withHost("192.0.2.1").withNewHttp()
                .addNewPath().withPath("well-known").withPathType("Exact").withNewBackend().withNewService().withName("svc")
                .withNewPort().withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build())
                .create()).satisfies(t -> {
                    assertThat(refusal(t).getCode()).isEqualTo(422);
                    assertThat(refusal(t).getStatus().getDetails().getCauses()).extracting(c -> c.getField())
                            .containsExactly("spec.rules[0].host", "spec.rules[0].http.paths[0].path");
                });
    }

    private HttpResponse<String> put(String path, String json) throws Exception {
        return send("PUT", path, json);
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        URI uri = URI.create(api.client().getMasterUrl().toString().replaceAll("/$", "") + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
