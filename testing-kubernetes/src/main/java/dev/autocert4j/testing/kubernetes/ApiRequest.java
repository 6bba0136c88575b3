package dev.autocert4j.testing.kubernetes;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * One request that {@link KubernetesMockApi} answered, as an RBAC rule sees it: the verb
 * ({@code get}, {@code list}, {@code watch}, {@code create}, {@code update}, {@code patch},
 * {@code delete}, {@code deletecollection}), the API group ("" for the core group), the resource
 * (plural, with a sub-resource as {@code ingresses/status}) and the namespace ("" when cluster-wide).
 *
 * @param verb the RBAC verb
 * @param group the API group, "" for core
 * @param resource the resource, plural
 * @param namespace the namespace, "" for cluster-scoped or all-namespace requests
 */
public record ApiRequest(String verb, String group, String resource, String namespace) {
    /**
     * Checks that no part is null.
     *
     * @param verb the RBAC verb
     * @param group the API group, "" for core
     * @param resource the resource, plural
     * @param namespace the namespace, "" for cluster-scoped or all-namespace requests
     */
    public ApiRequest {
        requireNonNull(verb, "verb");
        requireNonNull(group, "group");
        requireNonNull(resource, "resource");
        requireNonNull(namespace, "namespace");
    }

    /**
     * Reads the RBAC view of an HTTP request to the API server.
     *
     * @param method the HTTP method
     * @param pathAndQuery the request path, with its query
     * @return the request as verb, group, resource and namespace; resource "" for paths that name
     *     no resource (discovery, {@code /version})
     */
    public static ApiRequest of(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
        int at;
        String group;
        if (!parts.isEmpty() && parts.get(0).equals("api")) {
            group = "";
            at = 2; // api/v1/...
        } else if (!parts.isEmpty() && parts.get(0).equals("apis")) {
            group = parts.size() > 1 ? parts.get(1) : "";
            at = 3; // apis/<group>/<version>/...
        } else {
            return new ApiRequest(method.toLowerCase(Locale.ROOT), "", "", "");
        }
        String namespace = "";
        if (parts.size() > at + 1 && parts.get(at).equals("namespaces") && parts.size() > at + 2) {
            namespace = parts.get(at + 1);
            at += 2;
        }
        String resource = parts.size() > at ? parts.get(at) : "";
        boolean named = parts.size() > at + 1;
        if (parts.size() > at + 2) {
            resource = resource + "/" + parts.get(at + 2);
        }
        boolean watch = query.matches("(.*&)?watch=(true|1)(&.*)?");
        String verb = switch (method.toUpperCase(Locale.ROOT)) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(Locale.ROOT);
        };
        return new ApiRequest(verb, group, resource, namespace);
    }

    /** @return the resource as an RBAC rule names it with its group: {@code secrets}, {@code coordination.k8s.io/leases} */
    public String groupResource() {
        return group.isEmpty() ? resource : group + "/" + resource;
    }
}
