package dev.autocert4j.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

class KubernetesMockApiTest {
    @Test
    void recordsTheRbacVerbOfEachRequestButNotTheInspectorsRequests() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            api.client().secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("a")
                    .endMetadata().build()).create();
            api.client().secrets().inNamespace("shop").withName("a").get();
            api.client().secrets().inNamespace("shop").list();
            api.inspector().secrets().inNamespace("shop").withName("a").get();
            api.inspector().leases().inNamespace("shop").list();
            api.client().secrets().inNamespace("shop").withName("a").delete();

            assertThat(api.requests()).containsExactly(new ApiRequest("create", "", "secrets", "shop"),
                    new ApiRequest("get", "", "secrets", "shop"), new ApiRequest("list", "", "secrets", "shop"),
                    new ApiRequest("delete", "", "secrets", "shop"));
        }
    }

    @Test
    void readsVerbGroupResourceAndNamespaceFromPaths() {
        assertThat(ApiRequest.of("GET", "/apis/coordination.k8s.io/v1/namespaces/ns/leases/autocert4j-x"))
                .isEqualTo(new ApiRequest("get", "coordination.k8s.io", "leases", "ns"));
        assertThat(ApiRequest.of("GET", "/apis/networking.k8s.io/v1/namespaces/ns/ingresses?labelSelector=a%3Db&watch=true"))
                .isEqualTo(new ApiRequest("watch", "networking.k8s.io", "ingresses", "ns"));
        assertThat(ApiRequest.of("PUT", "/api/v1/namespaces/ns/secrets/s")).isEqualTo(new ApiRequest("update", "", "secrets", "ns"));
        assertThat(ApiRequest.of("PATCH", "/api/v1/namespaces/ns/secrets/s").verb()).isEqualTo("patch");
        assertThat(ApiRequest.of("DELETE", "/api/v1/namespaces/ns/secrets").verb()).isEqualTo("deletecollection");
        assertThat(ApiRequest.of("GET", "/api/v1/secrets")).isEqualTo(new ApiRequest("list", "", "secrets", ""));
        assertThat(ApiRequest.of("PUT", "/apis/networking.k8s.io/v1/namespaces/ns/ingresses/i/status").groupResource())
                .isEqualTo("networking.k8s.io/ingresses/status");
    }
}
