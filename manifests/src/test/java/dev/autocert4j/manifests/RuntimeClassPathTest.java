package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A user who reads manifests from files gets core and the YAML parser, neither fabric8 nor Jackson
 * nor a DNS provider's module. Reads the runtime class path that maven-dependency-plugin writes to
 * {@code target/runtime-classpath.txt} before the tests (see the pom).
 */
class RuntimeClassPathTest {
    @Test
    void holdsNeitherKubernetesNorJacksonNorCloudflare() throws Exception {
        Path file = Path.of("target", "runtime-classpath.txt");
        assertThat(file).as("written by maven-dependency-plugin:build-classpath").exists();
        List<String> entries = List.of(Files.readString(file).strip().split(Pattern.quote(File.pathSeparator)));
        List<String> normalized = entries.stream().map(e -> e.replace(File.separatorChar, '/')).toList();

        assertThat(normalized).anyMatch(e -> e.contains("autocert4j-core") || e.contains("core/target/classes"))
                .anyMatch(e -> e.contains("snakeyaml-engine"))
                .noneMatch(e -> e.contains("/io/fabric8/"))
                .noneMatch(e -> e.contains("/com/fasterxml/jackson/"))
                .noneMatch(e -> e.contains("autocert4j-solvers-dns-cloudflare") || e.contains("solvers-dns-cloudflare/target"))
                .noneMatch(e -> e.contains("autocert4j-k8s-secret-store") || e.contains("k8s-secret-store/target"))
                .noneMatch(e -> e.contains("autocert4j-solvers-http-ingress") || e.contains("solvers-http-ingress/target"));
    }
}
