package dev.autocert4j.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KubernetesMockApiTest {
    @Test
    void answersTheMatchingRequestsOfTheCodeUnderTestNoSoonerThanTheDelayAndStoresThem() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            Duration delay = Duration.ofMillis(1500);
            api.answerLate(r -> r.resource().equals("secrets") && r.verb().equals("create"), delay);
            long start = System.nanoTime();
            api.client().secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("a")
                    .endMetadata().build()).create();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
            assertThat(api.inspector().secrets().inNamespace("shop").withName("a").get()).isNotNull();
            assertThatThrownBy(() -> api.answerLate(r -> true, Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay must not be negative");
        }
    }

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

    /** The README's Role, as a user pastes it. */
    private static final String ROLE = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: autocert4j, namespace: shop}
            rules:
              - apiGroups: [""]
                resources: [secrets]
                verbs: [get, create, update]
              - apiGroups: [networking.k8s.io]
                resources: [ingresses]
                verbs: [get, list, watch, create, update, delete]
              - apiGroups: [coordination.k8s.io]
                resources: [leases]
                resourceNames: [only-this-one]
                verbs: ["*"]
            """;

    private static boolean allowed(KubernetesMockApi api, String namespace, String group, String resource, String verb,
            String name) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                .withNamespace(namespace).withGroup(group).withResource(resource).withVerb(verb).withName(name)
                .endResourceAttributes().endSpec().build();
        return api.client().authorization().v1().selfSubjectAccessReview().create(review).getStatus().getAllowed();
    }

    @Test
    void answersSelfSubjectAccessReviewsFromTheBoundRoleOnly() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            api.bindRole(Serialization.unmarshal(ROLE, Role.class));

            assertThat(allowed(api, "shop", "networking.k8s.io", "ingresses", "delete", null)).isTrue();
            assertThat(allowed(api, "shop", "", "secrets", "update", "shop-tls")).isTrue();
            assertThat(allowed(api, "shop", "", "secrets", "list", null)).as("a verb the Role lacks").isFalse();
            assertThat(allowed(api, "shop", "", "ingresses", "get", null)).as("the wrong API group").isFalse();
            assertThat(allowed(api, "other", "networking.k8s.io", "ingresses", "get", null)).as("another namespace").isFalse();
            assertThat(allowed(api, "shop", "coordination.k8s.io", "leases", "update", "only-this-one")).isTrue();
            assertThat(allowed(api, "shop", "coordination.k8s.io", "leases", "update", "another")).as("resourceNames").isFalse();
        }
    }

    @Test
    void refusesSelfSubjectAccessReviewsWithForbiddenWhenNoRoleIsBound() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            assertThatThrownBy(() -> allowed(api, "shop", "", "secrets", "get", null))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }
}
