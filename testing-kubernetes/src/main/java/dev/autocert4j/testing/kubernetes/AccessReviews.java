package dev.autocert4j.testing.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers {@code SelfSubjectAccessReview}s (authorization.k8s.io/v1) as Kubernetes' RBAC authorizer does for a user
 * bound to the given Roles: allowed when a rule of a Role in the review's namespace names the verb, the API group
 * and the resource (or {@code *}) and, when it lists {@code resourceNames}, the name. Non-resource reviews are
 * denied. With no Role bound, the review itself is refused with 403 {@code Forbidden}, as on a cluster whose RBAC
 * does not let the user create SelfSubjectAccessReviews. Thread-safe.
 */
final class AccessReviews {
    static final String PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    private final List<Role> roles = new CopyOnWriteArrayList<>();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    void bind(Role role) {
        Objects.requireNonNull(role, "role");
        if (role.getMetadata() == null || role.getMetadata().getNamespace() == null) {
            throw new IllegalArgumentException("a Role needs metadata.namespace: its rules apply only there");
        }
        roles.add(role);
    }

    /**
     * @param method the HTTP method
     * @param path the request path without the query
     * @return whether this is the creation of a SelfSubjectAccessReview
     */
    static boolean isReview(String method, String path) {
        return "POST".equals(method) && (path.equals(PATH) || path.startsWith(PATH + "?"));
    }

    /**
     * @param body the review the client sent
     * @return the review with its status filled in, or 403 when no Role is bound
     */
    MockResponse answer(byte[] body) {
        if (roles.isEmpty()) {
            Status forbidden = new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
                    .withMessage("selfsubjectaccessreviews.authorization.k8s.io is forbidden: User \"system:anonymous\" "
                            + "cannot create resource \"selfsubjectaccessreviews\" in API group \"authorization.k8s.io\" "
                            + "at the cluster scope")
                    .build();
            return json(403, serialization.asJson(forbidden));
        }
        SelfSubjectAccessReview review = serialization.unmarshal(new String(body, StandardCharsets.UTF_8),
                SelfSubjectAccessReview.class);
        ResourceAttributes asked = review.getSpec() == null ? null : review.getSpec().getResourceAttributes();
        String allowedBy = asked == null ? null : allowingRole(asked);
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowedBy != null)
                .withReason(allowedBy == null ? "" : "RBAC: allowed by Role \"" + allowedBy + "\"").build());
        return json(201, serialization.asJson(review));
    }

    private String allowingRole(ResourceAttributes asked) {
        for (Role role : roles) {
            if (!role.getMetadata().getNamespace().equals(asked.getNamespace()) || role.getRules() == null) {
                continue;
            }
            for (PolicyRule rule : role.getRules()) {
                if (grants(rule, asked)) {
                    return role.getMetadata().getName() + "/" + role.getMetadata().getNamespace();
                }
            }
        }
        return null;
    }

    private static boolean grants(PolicyRule rule, ResourceAttributes asked) {
        String resource = asked.getSubresource() == null || asked.getSubresource().isEmpty() ? asked.getResource()
                : asked.getResource() + "/" + asked.getSubresource();
        return matches(rule.getApiGroups(), Objects.requireNonNullElse(asked.getGroup(), ""))
                && matches(rule.getResources(), resource)
                && matches(rule.getVerbs(), asked.getVerb())
                && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                        || rule.getResourceNames().contains(asked.getName()));
    }

    private static boolean matches(List<String> granted, String asked) {
        return granted != null && asked != null && (granted.contains("*") || granted.contains(asked));
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
