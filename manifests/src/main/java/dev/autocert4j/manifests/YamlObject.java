package dev.autocert4j.manifests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML mapping of a manifest with its field path, read strictly: every key must be asked for,
 * else {@link #done()} reports it; each value must have the expected type. Errors carry document,
 * line and path. Not thread-safe; values are never echoed for secret material.
 */
final class YamlObject {
    /** Where a document came from. */
    record Doc(String source, int number) {
        ManifestException error(Node node, String path, String problem) {
            return new ManifestException(source, number, line(node), path, problem);
        }
    }

    private final Doc doc;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    private YamlObject(Doc doc, String path, MappingNode node) {
        this.doc = doc;
        this.path = path;
        this.node = node;
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw doc.error(t.getKeyNode(), path, "a key must be a plain string");
            }
            if (entries.put(key.getValue(), t) != null) {
                throw doc.error(key, child(key.getValue()), "the field appears twice: keep one");
            }
        }
    }

    static YamlObject of(Doc doc, String path, Node node) {
        if (node instanceof MappingNode m) {
            return new YamlObject(doc, path, m);
        }
        throw doc.error(node, path, "expected a mapping (key: value lines), found " + describe(node));
    }

    static int line(Node node) {
        return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        if (Tag.INT.equals(tag)) {
            return "a number";
        }
        if (Tag.FLOAT.equals(tag)) {
            return "a number";
        }
        if (Tag.BOOL.equals(tag)) {
            return "a boolean";
        }
        if (Tag.NULL.equals(tag)) {
            return "nothing (null)";
        }
        return "a string";
    }

    Doc doc() {
        return doc;
    }

    String path() {
        return path;
    }

    Node node() {
        return node;
    }

    String child(String key) {
        if (key.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    ManifestException error(String key, String problem) {
        NodeTuple t = entries.get(key);
        return doc.error(t == null ? node : t.getKeyNode(), child(key), problem);
    }

    /** An error at the {@code index}th item of the list under {@code key}. */
    ManifestException error(String key, int index, String problem) {
        Node at = node;
        if (entries.get(key) != null && entries.get(key).getValueNode() instanceof SequenceNode s && index < s.getValue().size()) {
            at = s.getValue().get(index);
        }
        return doc.error(at, child(key) + "[" + index + "]", problem);
    }

    ManifestException error(String problem) {
        return doc.error(node, path, problem);
    }

    boolean has(String key) {
        known.add(key);
        NodeTuple t = entries.get(key);
        return t != null && !Tag.NULL.equals(t.getValueNode().getTag());
    }

    /** The value node, absent when missing or null. */
    Optional<Node> raw(String key) {
        return has(key) ? Optional.of(entries.get(key).getValueNode()) : Optional.empty();
    }

    Optional<String> string(String key) {
        return raw(key).map(n -> scalar(n, child(key), Tag.STR, "a string"));
    }

    String requiredString(String key) {
        String value = string(key).orElseThrow(() -> error(key, "is required"));
        if (value.isBlank()) {
            throw error(key, "must not be empty");
        }
        return value;
    }

    Optional<Boolean> bool(String key) {
        return raw(key).map(n -> Boolean.valueOf(scalar(n, child(key), Tag.BOOL, "true or false")));
    }

    Optional<Integer> integer(String key) {
        return raw(key).map(n -> {
            String v = scalar(n, child(key), Tag.INT, "a whole number");
            try {
                return Integer.valueOf(v);
            } catch (NumberFormatException e) {
                throw doc.error(n, child(key), "expected a whole number, found " + v);
            }
        });
    }

    Optional<YamlObject> object(String key) {
        return raw(key).map(n -> of(doc, child(key), n));
    }

    List<YamlObject> objects(String key) {
        List<YamlObject> out = new ArrayList<>();
        List<Node> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            out.add(of(doc, child(key) + "[" + i + "]", items.get(i)));
        }
        return out;
    }

    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        List<Node> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            out.add(scalar(items.get(i), child(key) + "[" + i + "]", Tag.STR, "a string"));
        }
        return out;
    }

    Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<YamlObject> o = object(key);
        if (o.isPresent()) {
            for (String k : o.get().entries.keySet()) {
                out.put(k, o.get().string(k).orElse(""));
            }
        }
        return out;
    }

    private List<Node> list(String key) {
        Optional<Node> n = raw(key);
        if (n.isEmpty()) {
            return List.of();
        }
        if (n.get() instanceof SequenceNode s) {
            return s.getValue();
        }
        throw doc.error(n.get(), child(key), "expected a list, found " + describe(n.get()));
    }

    private String scalar(Node n, String at, Tag expected, String what) {
        if (n instanceof ScalarNode s && expected.equals(s.getTag())) {
            return s.getValue();
        }
        String hint = Tag.STR.equals(expected) && n instanceof ScalarNode ? " (put it in quotes)" : "";
        throw doc.error(n, at, "expected " + what + ", found " + describe(n) + hint);
    }

    /** Refuses a field cert-manager has and autocert4j does not support, saying why. */
    void unsupported(String key, String reason) {
        known.add(key);
        if (entries.containsKey(key)) {
            throw error(key, "is not supported: " + reason);
        }
    }

    /** Accepts a field knowingly without using it. */
    void ignored(String... keys) {
        known.addAll(List.of(keys));
    }

    /** Reports the first field nobody asked for. */
    void done() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw doc.error(e.getValue().getKeyNode(), child(e.getKey()),
                        "unknown field: expected one of " + String.join(", ", known));
            }
        }
    }
}
