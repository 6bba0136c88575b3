package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The built jar names its module in its manifest (fabric8 has no module names, so there is no
 * module-info): on the module path it is the automatic module {@value #MODULE}.
 */
class AutomaticModuleNameIT {
    private static final String MODULE = "dev.autocert4j.store.k8s";

    @Test
    void theJarIsTheAutomaticModuleNamedInItsManifest() throws IOException {
        Path jar = builtJar();
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo(MODULE);
        }
        ModuleDescriptor module = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
        assertThat(module.name()).isEqualTo(MODULE);
        assertThat(module.isAutomatic()).isTrue();
        assertThat(module.packages()).contains("dev.autocert4j.store.k8s", "dev.autocert4j.lock.k8s");
    }

    /** The jar Failsafe names in {@code autocert4j.jar}, else the one jar of classes in {@code target/}. */
    private static Path builtJar() throws IOException {
        String configured = System.getProperty("autocert4j.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.toString().endsWith(".jar") && !f.toString().endsWith("-sources.jar")
                    && !f.toString().endsWith("-javadoc.jar") && !f.toString().endsWith("-tests.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no jar in target/: run mvn verify"));
        }
    }
}
