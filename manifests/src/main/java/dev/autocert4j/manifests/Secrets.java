package dev.autocert4j.manifests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds what a secret reference points to: first the {@code v1 Secret} documents of the loaded
 * files, then the {@link SecretResolver} of the options. One instance per load; not thread-safe.
 */
final class Secrets {
    private final SecretResolver resolver;
    /** Keys of {@code v1 Secret} documents: namespace ("" when the document has none), name, key. */
    private final Map<List<String>, String> inFiles = new HashMap<>();

    Secrets(SecretResolver resolver) {
        this.resolver = resolver;
    }

    /** Reads a {@code v1 Secret} document; its keys answer references before the resolver does. */
    void document(YamlObject root) {
        ManifestReader.Meta meta = ManifestReader.metadata(root);
        root.string("type");
        root.bool("immutable");
        Optional<YamlObject> data = root.object("data");
        if (data.isPresent()) {
            for (String key : data.get().keys()) {
                String encoded = data.get().string(key).orElse("");
                byte[] decoded;
                try {
                    decoded = Base64.getMimeDecoder().decode(encoded);
                } catch (IllegalArgumentException e) {
                    throw data.get().error(key, "is not base64: Secret data values are base64 encoded; use stringData for plain text");
                }
                inFiles.put(List.of(meta.namespace().orElse(""), meta.name(), key), new String(decoded, StandardCharsets.UTF_8));
            }
            data.get().done();
        }
        Optional<YamlObject> stringData = root.object("stringData");
        if (stringData.isPresent()) {
            for (String key : stringData.get().keys()) {
                inFiles.put(List.of(meta.namespace().orElse(""), meta.name(), key), stringData.get().string(key).orElse(""));
            }
            stringData.get().done();
        }
        root.done();
    }

    /**
     * @param ref a {@code name}/{@code key} reference block
     * @param keyRequired whether {@code key} must be given
     * @param defaultKey the key when it is optional and absent
     */
    String value(YamlObject ref, String namespace, boolean keyRequired, String defaultKey) {
        String name = ref.requiredString("name");
        String key = keyRequired ? ref.requiredString("key") : ref.string("key").orElse(defaultKey);
        ref.done();
        return value(ref, new SecretRef(namespace, name, key));
    }

    /** @param at where an error is reported */
    String value(YamlObject at, SecretRef ref) {
        return optionalValue(at, ref).orElseThrow(() -> at.error(ref + " was not found by " + resolver
                + ": create it (kubectl -n " + ref.namespace() + " create secret generic " + ref.name() + " --from-literal="
                + ref.key() + "=...), set environment variable " + SecretResolver.environmentVariable(ref)
                + ", or add a v1 Secret document to the manifests"));
    }

    /**
     * @param at where an error is reported
     * @return the value, or empty when neither the files nor the resolver have it
     */
    Optional<String> optionalValue(YamlObject at, SecretRef ref) {
        String inFile = inFiles.get(List.of(ref.namespace(), ref.name(), ref.key()));
        if (inFile == null) {
            inFile = inFiles.get(List.of("", ref.name(), ref.key()));
        }
        if (inFile != null) {
            return Optional.of(inFile);
        }
        try {
            return resolver.resolve(ref);
        } catch (IOException e) {
            throw at.error(ref + " could not be read: " + e.getMessage());
        }
    }
}
