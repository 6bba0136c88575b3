package dev.autocert4j.manifests;

import io.fabric8.kubernetes.api.model.FieldsV1;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The part of structured-merge-diff's {@code fieldpath.Set} (sigs.k8s.io/structured-merge-diff/v4/fieldpath,
 * {@code set.go}, {@code serialize.go}, {@code serialize-pe.go}) that cert-manager's checks use, read from a
 * {@code managedFields} entry's {@code fieldsV1} as {@code Set.FromJSON} reads it. A path element is kept in its
 * serialized form ({@code f:name}, {@code k:{...}}, {@code v:...}, {@code i:n}); the JSON of {@code k:} is
 * normalised (keys sorted) so that keys compare as {@code PathElement.Equals} compares them. Immutable.
 */
final class ManagedFieldSet {
    private static final ManagedFieldSet EMPTY = new ManagedFieldSet(Set.of(), Map.of());

    private final Set<String> members;
    private final Map<String, ManagedFieldSet> children;

    private ManagedFieldSet(Set<String> members, Map<String, ManagedFieldSet> children) {
        this.members = members;
        this.children = children;
    }

    /** A path element naming a field: {@code FieldName}. */
    static String field(String name) {
        return "f:" + name;
    }

    /** A path element naming a list-map entry by its key fields: {@code Key}. */
    static String key(Map<String, String> fields) {
        return "k:" + new TreeMap<>(fields);
    }

    /**
     * serialize.go {@code Set.FromJSON}, the JSON already parsed into maps (as fabric8's {@link FieldsV1} holds it).
     *
     * @param fieldsV1 an entry's fieldsV1
     * @return the set
     * @throws IOException where {@code FromJSON} fails: a value that is not an object, or a path element that
     *     {@code DeserializePathElement} does not know
     */
    static ManagedFieldSet fromJson(FieldsV1 fieldsV1) throws IOException {
        ManagedFieldSet children = readIterV1(fieldsV1.getAdditionalProperties());
        return children == null ? EMPTY : children;
    }

    /**
     * serialize.go {@code readIterV1}: {@code "."} marks the enclosing path as a member; an object without
     * other keys is a member too. Returns the children, or null when there are none (then the path is a member).
     */
    private static ManagedFieldSet readIterV1(Map<String, Object> object) throws IOException {
        Set<String> members = new LinkedHashSet<>();
        Map<String, ManagedFieldSet> children = new LinkedHashMap<>();
        boolean any = false;
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            if (entry.getKey().equals(".")) {
                continue;
            }
            if (!(entry.getValue() instanceof Map<?, ?> value)) {
                throw new IOException("parsing JSON: expected an object for " + entry.getKey());
            }
            any = true;
            String pe = deserializePathElement(entry.getKey());
            @SuppressWarnings("unchecked")
            ManagedFieldSet grandchildren = readIterV1((Map<String, Object>) value);
            if (grandchildren == null || value.containsKey(".")) {
                members.add(pe);
            }
            if (grandchildren != null) {
                children.put(pe, grandchildren);
            }
        }
        return any ? new ManagedFieldSet(Set.copyOf(members), Map.copyOf(children)) : null;
    }

    /** serialize-pe.go {@code DeserializePathElement}, to the normalised serialized form. */
    private static String deserializePathElement(String s) throws IOException {
        if (s.length() < 2 || s.charAt(1) != ':') {
            throw new IOException("unable to deserialize path element \"" + s + "\": invalid type or format");
        }
        String rest = s.substring(2);
        return switch (s.charAt(0)) {
            case 'f' -> s;
            case 'v' -> "v:" + rest;
            case 'i' -> {
                try {
                    yield "i:" + Integer.parseInt(rest);
                } catch (NumberFormatException e) {
                    throw new IOException("unable to deserialize path element \"" + s + "\": " + e.getMessage(), e);
                }
            }
            case 'k' -> {
                Object parsed;
                try {
                    parsed = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(rest, Object.class);
                } catch (RuntimeException e) {
                    throw new IOException("unable to deserialize path element \"" + s + "\": " + e.getMessage(), e);
                }
                if (!(parsed instanceof Map<?, ?> fields)) {
                    throw new IOException("unable to deserialize path element \"" + s + "\": a key must be an object");
                }
                Map<String, String> normalised = new TreeMap<>();
                fields.forEach((k, v) -> normalised.put(String.valueOf(k), String.valueOf(v)));
                yield key(normalised);
            }
            default -> throw new IOException("unable to deserialize path element \"" + s + "\": unknown prefix");
        };
    }

    /** set.go {@code SetNodeMap.Descend}: the set below one path element, empty when there is none. */
    ManagedFieldSet descend(String pe) {
        return children.getOrDefault(pe, EMPTY);
    }

    /** set.go {@code Set.Has}: whether the path is a member. */
    boolean has(List<String> path) {
        ManagedFieldSet at = this;
        for (int i = 0; i < path.size() - 1; i++) {
            at = at.children.get(path.get(i));
            if (at == null) {
                return false;
            }
        }
        return !path.isEmpty() && at.members.contains(path.get(path.size() - 1));
    }

    /**
     * set.go {@code Set.Iterate} with {@code Path.String}, the leading {@code "."} already trimmed as cert-manager
     * trims it: each member as a dotted path of field names.
     */
    void iterateFieldPaths(Consumer<String> action) {
        iterate("", action);
    }

    private void iterate(String prefix, Consumer<String> action) {
        for (String pe : members) {
            action.accept(prefix + display(pe));
        }
        children.forEach((pe, child) -> child.iterate(prefix + display(pe) + ".", action));
    }

    private static String display(String pe) {
        return pe.startsWith("f:") ? pe.substring(2) : pe;
    }
}
