package dev.autocert4j.testing.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a real API server refuses before it stores an object, and fabric8's CRUD mock accepts: checked in front of
 * the mock so that a test fails where a cluster would. The answers are the API server's: 422 {@code Invalid} with
 * one cause per field, or 500 for a create that carries a {@code resourceVersion}. Each rule names the Kubernetes
 * source it follows. Not checked: ownerReferences, finalizers, immutable fields, the result of a JSON patch, and
 * anything of kinds not listed here beyond their metadata. Stateless and thread-safe.
 */
final class ApiServerValidation {
    /** k8s.io/apimachinery/pkg/api/validation/objectmeta.go: TotalAnnotationSizeLimitB. */
    static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
    /** k8s.io/kubernetes/pkg/apis/core/types.go: MaxSecretSize. */
    static final int MAX_SECRET_SIZE = 1024 * 1024;
    /**
     * Resources whose registry strategy answers {@code AllowUnconditionalUpdate() false}, so that an update without
     * {@code metadata.resourceVersion} is refused: k8s.io/kubernetes/pkg/registry/coordination/lease/strategy.go.
     * Secrets, ConfigMaps, Ingresses and Events allow it (their strategy.go answer true).
     */
    private static final Set<String> CONDITIONAL_UPDATE_ONLY = Set.of("coordination.k8s.io/leases");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** One refused field, as a StatusCause. */
    private record Cause(String reason, String field, String message) {
        static Cause invalid(String field, String value, String detail) {
            return new Cause("FieldValueInvalid", field, "Invalid value: " + quote(value) + ": " + detail);
        }

        static Cause required(String field) {
            return new Cause("FieldValueRequired", field, "Required value");
        }

        static Cause tooLong(String field, int bytes) {
            return new Cause("FieldValueTooLong", field, "Too long: must have at most " + bytes + " bytes");
        }

        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /**
     * @param method the HTTP method
     * @param pathAndQuery the request path
     * @param contentType the request's Content-Type, or null
     * @param body the request body
     * @return the API server's answer when it would refuse the request; empty to let the mock serve it
     */
    Optional<MockResponse> refusal(String method, String pathAndQuery, String contentType, byte[] body) {
        ApiRequest request = ApiRequest.of(method, pathAndQuery);
        boolean create = request.verb().equals("create");
        boolean update = request.verb().equals("update");
        boolean patch = request.verb().equals("patch");
        if (!(create || update || patch) || body == null || body.length == 0 || request.resource().isEmpty()) {
            return Optional.empty();
        }
        if (patch && (contentType == null || contentType.contains("json-patch"))) {
            return Optional.empty(); // a JSON patch is a list of operations: its result is not known here
        }
        GenericKubernetesResource object;
        try {
            object = serialization.unmarshal(new String(body, StandardCharsets.UTF_8), GenericKubernetesResource.class);
        } catch (RuntimeException notAnObject) {
            return Optional.empty(); // the mock answers malformed bodies itself
        }
        ObjectMeta meta = object.getMetadata() != null ? object.getMetadata() : new ObjectMeta();
        String name = meta.getName() != null ? meta.getName() : lastPathElement(pathAndQuery);
        String kind = object.getKind() != null ? object.getKind() : request.resource();
        if (create && meta.getResourceVersion() != null && !meta.getResourceVersion().isEmpty()) {
            // k8s.io/apiserver/pkg/storage/etcd3/store.go Create: storage.ErrResourceVersionSetOnCreate, answered as an
            // internal error.
            return Optional.of(internalError(kind, name, "resourceVersion should not be set on objects to be created"));
        }
        List<Cause> causes = new ArrayList<>();
        if (create) {
            name(request.resource(), meta, causes);
        }
        if (update && CONDITIONAL_UPDATE_ONLY.contains(request.groupResource())
                && (meta.getResourceVersion() == null || meta.getResourceVersion().isEmpty())) {
            // k8s.io/apiserver/pkg/registry/generic/registry/store.go Update, for a strategy without unconditional updates
            causes.add(new Cause("FieldValueInvalid", "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update"));
        }
        labels(meta.getLabels(), causes);
        annotations(meta.getAnnotations(), causes);
        if (request.resource().equals("secrets") && !patch) {
            secret(object, causes);
        }
        if (request.groupResource().equals("networking.k8s.io/ingresses") && !patch) {
            ingress(object, causes);
        }
        if (causes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(invalid(kind, request.group(), name, causes));
    }

    /** objectmeta.go ValidateObjectMetaAccessor: name required; its format by resource (the registry's nameFn). */
    private static void name(String resource, ObjectMeta meta, List<Cause> causes) {
        String name = meta.getName();
        if (name == null || name.isEmpty()) {
            if (meta.getGenerateName() == null || meta.getGenerateName().isEmpty()) {
                causes.add(new Cause("FieldValueRequired", "metadata.name", "Required value: name or generateName is required"));
            }
            return;
        }
        // k8s.io/kubernetes/pkg/apis/core/validation/validation.go: ValidateServiceName is NameIsDNS1035Label,
        // ValidateNamespaceName NameIsDNSLabel, and Secret, ConfigMap, Event, Ingress and Lease names NameIsDNSSubdomain.
        List<String> problems = switch (resource) {
            case "services" -> NameRules.dns1035Label(name);
            case "namespaces" -> NameRules.dns1123Label(name);
            default -> NameRules.dns1123Subdomain(name);
        };
        problems.forEach(p -> causes.add(Cause.invalid("metadata.name", name, p)));
    }

    /** k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabels: key IsQualifiedName, value IsValidLabelValue. */
    private static void labels(Map<String, String> labels, List<Cause> causes) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            NameRules.qualifiedName(key).forEach(p -> causes.add(Cause.invalid("metadata.labels", key, p)));
            if (value != null) {
                NameRules.labelValue(value).forEach(p -> causes.add(Cause.invalid("metadata.labels", value, p)));
            }
        });
    }

    /** objectmeta.go ValidateAnnotations: each key IsQualifiedName (lower-cased), keys and values at most 256 KiB in all. */
    private static void annotations(Map<String, String> annotations, List<Cause> causes) {
        if (annotations == null) {
            return;
        }
        long total = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            String key = e.getKey();
            NameRules.qualifiedName(key.toLowerCase(Locale.ROOT)).forEach(p -> causes.add(Cause.invalid("metadata.annotations", key, p)));
            total += NameRules.bytes(key) + (e.getValue() == null ? 0 : NameRules.bytes(e.getValue()));
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            // a merge patch that is itself too big makes a result that is too big; a smaller one is not summed up here
            causes.add(Cause.tooLong("metadata.annotations", TOTAL_ANNOTATION_SIZE_LIMIT));
        }
    }

    /**
     * k8s.io/kubernetes/pkg/apis/core/validation/validation.go ValidateSecret: data keys IsConfigMapKey, at most
     * MaxSecretSize bytes of data in all, and a {@code kubernetes.io/tls} Secret holds {@code tls.crt} and {@code tls.key}.
     */
    private static void secret(GenericKubernetesResource secret, List<Cause> causes) {
        Map<String, Object> data = map(secret.getAdditionalProperties().get("data"));
        Map<String, Object> stringData = map(secret.getAdditionalProperties().get("stringData"));
        long total = 0;
        for (Map.Entry<String, Object> e : data.entrySet()) {
            NameRules.configMapKey(e.getKey()).forEach(p -> causes.add(Cause.invalid("data[" + e.getKey() + "]", e.getKey(), p)));
            total += decodedLength(e.getValue());
        }
        for (Map.Entry<String, Object> e : stringData.entrySet()) {
            NameRules.configMapKey(e.getKey()).forEach(p -> causes.add(Cause.invalid("stringData[" + e.getKey() + "]", e.getKey(), p)));
            if (!data.containsKey(e.getKey()) && e.getValue() != null) {
                total += NameRules.bytes(e.getValue().toString());
            }
        }
        if (total > MAX_SECRET_SIZE) {
            causes.add(Cause.tooLong("data", MAX_SECRET_SIZE));
        }
        if ("kubernetes.io/tls".equals(secret.getAdditionalProperties().get("type"))) {
            for (String key : List.of("tls.crt", "tls.key")) {
                if (!data.containsKey(key) && !stringData.containsKey(key)) {
                    causes.add(Cause.required("data[" + key + "]"));
                }
            }
        }
    }

    /**
     * k8s.io/kubernetes/pkg/apis/networking/validation/validation.go validateIngressRules and validateHTTPIngressPath:
     * a rule's host is a DNS-1123 subdomain (or {@code *.} and one), not an IP address; a path has a pathType, and an
     * {@code Exact} or {@code Prefix} path is absolute.
     */
    private static void ingress(GenericKubernetesResource ingress, List<Cause> causes) {
        Map<String, Object> spec = map(ingress.getAdditionalProperties().get("spec"));
        List<Object> rules = list(spec.get("rules"));
        for (int i = 0; i < rules.size(); i++) {
            Map<String, Object> rule = map(rules.get(i));
            String at = "spec.rules[" + i + "]";
            if (rule.get("host") instanceof String host && !host.isEmpty()) {
                if (IPV4.matcher(host).matches() || host.contains(":")) {
                    causes.add(Cause.invalid(at + ".host", host, "must be a DNS name, not an IP address"));
                } else {
                    String checked = host.startsWith("*.") ? host.substring(2) : host;
                    NameRules.dns1123Subdomain(checked).forEach(p -> causes.add(Cause.invalid(at + ".host", host, p)));
                }
            }
            List<Object> paths = list(map(rule.get("http")).get("paths"));
            for (int j = 0; j < paths.size(); j++) {
                Map<String, Object> path = map(paths.get(j));
                String pathAt = at + ".http.paths[" + j + "]";
                Object pathType = path.get("pathType");
                if (pathType == null) {
                    causes.add(Cause.required(pathAt + ".pathType"));
                }
                if (("Exact".equals(pathType) || "Prefix".equals(pathType))
                        && !(path.get("path") instanceof String p && p.startsWith("/"))) {
                    causes.add(Cause.invalid(pathAt + ".path", String.valueOf(path.get("path")), "must be an absolute path"));
                }
            }
        }
    }

    private MockResponse invalid(String kind, String group, String name, List<Cause> causes) {
        String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
        String all = causes.size() == 1 ? causes.get(0).toString()
                : causes.stream().map(Cause::toString).collect(Collectors.joining(", ", "[", "]"));
        List<StatusCause> statusCauses = causes.stream().map(c -> new StatusCauseBuilder().withReason(c.reason())
                .withField(c.field()).withMessage(c.message()).build()).toList();
        Status status = new StatusBuilder().withStatus("Failure").withReason("Invalid").withCode(422)
                .withMessage(qualifiedKind + " " + quote(name) + " is invalid: " + all)
                .withNewDetails().withKind(kind).withGroup(group.isEmpty() ? null : group).withName(name)
                .withCauses(statusCauses).endDetails().build();
        return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
                .setBody(serialization.asJson(status));
    }

    private MockResponse internalError(String kind, String name, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withReason("InternalError").withCode(500)
                .withMessage("Internal error occurred: " + message)
                .withNewDetails().withKind(kind).withName(name)
                .withCauses(new StatusCauseBuilder().withMessage(message).build()).endDetails().build();
        return new MockResponse().setResponseCode(500).setHeader("Content-Type", "application/json")
                .setBody(serialization.asJson(status));
    }

    private static long decodedLength(Object base64) {
        if (base64 == null) {
            return 0;
        }
        try {
            return Base64.getDecoder().decode(base64.toString()).length;
        } catch (IllegalArgumentException notBase64) {
            return NameRules.bytes(base64.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static String lastPathElement(String pathAndQuery) {
        String path = pathAndQuery.split("\\?", 2)[0];
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Go's %q of a value, shortened as the API server shortens long values in messages. */
    private static String quote(String value) {
        String v = value == null ? "" : value;
        String shown = v.length() > 100 ? v.substring(0, 100) + "..." : v;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
