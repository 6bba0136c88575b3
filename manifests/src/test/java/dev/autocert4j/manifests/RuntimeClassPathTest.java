package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A user who reads manifests from files gets core and the YAML parser, neither fabric8 nor Jackson
 * nor a DNS provider's module. Reads the runtime class path that maven-dependency-plugin writes to
 * {@code target/runtime-classpath.txt} before the tests (see the pom); with only that class path, a
 * {@code cloudflare} solver is an error that names the jar to add.
 */
class RuntimeClassPathTest {
    @Test
    void holdsNeitherKubernetesNorJacksonNorCloudflare() throws Exception {
        List<String> entries = runtimeClassPath();
        List<String> normalized = entries.stream().map(e -> e.replace(File.separatorChar, '/')).toList();

        assertThat(normalized).anyMatch(e -> e.contains("autocert4j-core") || e.contains("core/target/classes"))
                .anyMatch(e -> e.contains("snakeyaml-engine"))
                .noneMatch(e -> e.contains("/io/fabric8/"))
                .noneMatch(e -> e.contains("/com/fasterxml/jackson/"))
                .noneMatch(e -> e.contains("autocert4j-solvers-dns-cloudflare") || e.contains("solvers-dns-cloudflare/target"))
                .noneMatch(e -> e.contains("autocert4j-k8s-secret-store") || e.contains("k8s-secret-store/target"))
                .noneMatch(e -> e.contains("autocert4j-solvers-http-ingress") || e.contains("solvers-http-ingress/target"));
    }

    @Test
    void aCloudflareSolverWithoutItsJarIsAnErrorThatNamesTheJar() throws Exception {
        String yaml = BrokenManifestsTest.DNS01_ISSUER + """
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: cloudflare-apikey
                stringData:
                  api-key: %s
                """.formatted(BrokenManifestsTest.KEY);
        List<URL> urls = new ArrayList<>();
        urls.add(Path.of("target", "classes").toUri().toURL());
        for (String entry : runtimeClassPath()) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        // only what a user who adds nothing but autocert4j-manifests has: no Cloudflare provider to find
        try (URLClassLoader user = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> manifests = user.loadClass(Manifests.class.getName());
            Class<?> options = user.loadClass(ManifestOptions.class.getName());
            Object defaults = options.getMethod("builder").invoke(null);
            defaults = defaults.getClass().getMethod("build").invoke(defaults);
            Object finalOptions = defaults;

            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> manifests
                    .getMethod("parse", String.class, String.class, options).invoke(null, yaml, "issuer.yaml", finalOptions));

            assertThat(thrown).isInstanceOf(InvocationTargetException.class);
            Throwable error = thrown.getCause();
            assertThat(error.getClass().getName()).isEqualTo(ManifestException.class.getName());
            assertThat(error.getMessage()).contains("spec.acme.solvers[0].dns01.cloudflare")
                    .contains("No DNS provider named 'cloudflare'")
                    .contains("autocert4j-solvers-dns-cloudflare")
                    .doesNotContain(BrokenManifestsTest.KEY);
        }
    }

    private static List<String> runtimeClassPath() throws Exception {
        Path file = Path.of("target", "runtime-classpath.txt");
        assertThat(file).as("written by maven-dependency-plugin:build-classpath").exists();
        return List.of(Files.readString(file).strip().split(Pattern.quote(File.pathSeparator)));
    }
}
