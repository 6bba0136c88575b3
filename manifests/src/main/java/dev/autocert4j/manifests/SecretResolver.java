package dev.autocert4j.manifests;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the value a manifest's secret reference points to: an environment variable, a file in a
 * mounted directory, or (with {@code KubernetesSecretResolver} of autocert4j-manifests-k8s) a
 * Kubernetes Secret; {@link #firstOf} tries several in turn.
 *
 * <p>Implementations MUST be safe for concurrent use and MUST NOT put a secret's value into a
 * log, an exception message or {@code toString()}.
 */
@FunctionalInterface
public interface SecretResolver {
    /**
     * @param ref the Secret, its namespace and key
     * @return the value, or empty when this resolver has no such secret
     * @throws IOException when the source of secrets cannot be read (not when the secret is absent)
     */
    Optional<String> resolve(SecretRef ref) throws IOException;

    /**
     * Reads environment variables named after the Secret and key: upper case, every character that
     * is not a letter or digit replaced by {@code _}, joined by {@code _}. The seed's
     * {@code cloudflare-apikey} / {@code apikey} is {@code CLOUDFLARE_APIKEY_APIKEY}. The
     * namespace is not part of the name.
     *
     * @return a resolver reading {@link System#getenv()}
     */
    static SecretResolver environment() {
        return environment(System.getenv());
    }

    /**
     * As {@link #environment()}, from the given variables (for tests, or a prepared map).
     *
     * @param variables the variables, copied
     * @return a resolver reading the map
     */
    static SecretResolver environment(Map<String, String> variables) {
        Map<String, String> vars = Map.copyOf(requireNonNull(variables, "variables"));
        return new SecretResolver() {
            @Override
            public Optional<String> resolve(SecretRef ref) {
                return Optional.ofNullable(vars.get(environmentVariable(ref)));
            }

            @Override
            public String toString() {
                return "SecretResolver.environment";
            }
        };
    }

    /**
     * @param ref a secret reference
     * @return the environment variable {@link #environment()} reads for it
     */
    static String environmentVariable(SecretRef ref) {
        return (ref.name() + "_" + ref.key()).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * Reads files laid out as Kubernetes mounts Secret volumes: {@code <directory>/<name>/<key>},
     * one file per key. One trailing line break is removed ({@code echo key > file}). The namespace
     * is not part of the path.
     *
     * @param directory the directory holding one subdirectory per Secret
     * @return a resolver reading files
     */
    static SecretResolver directory(Path directory) {
        requireNonNull(directory, "directory");
        return new SecretResolver() {
            @Override
            public Optional<String> resolve(SecretRef ref) throws IOException {
                if (ref.name().contains("/") || ref.name().startsWith(".") || ref.key().contains("/") || ref.key().startsWith("..")) {
                    return Optional.empty();
                }
                Path file = directory.resolve(ref.name()).resolve(ref.key());
                if (!Files.isRegularFile(file)) {
                    return Optional.empty();
                }
                String value = Files.readString(file, StandardCharsets.UTF_8);
                if (value.endsWith("\r\n")) {
                    value = value.substring(0, value.length() - 2);
                } else if (value.endsWith("\n")) {
                    value = value.substring(0, value.length() - 1);
                }
                return Optional.of(value);
            }

            @Override
            public String toString() {
                return "SecretResolver.directory(" + directory + ")";
            }
        };
    }

    /**
     * @param resolvers tried in order; the first that has the secret answers
     * @return a resolver combining them
     */
    static SecretResolver firstOf(SecretResolver... resolvers) {
        List<SecretResolver> all = List.of(requireNonNull(resolvers, "resolvers"));
        return new SecretResolver() {
            @Override
            public Optional<String> resolve(SecretRef ref) throws IOException {
                for (SecretResolver r : all) {
                    Optional<String> value = r.resolve(ref);
                    if (value.isPresent()) {
                        return value;
                    }
                }
                return Optional.empty();
            }

            @Override
            public String toString() {
                return "SecretResolver.firstOf" + all;
            }
        };
    }
}
