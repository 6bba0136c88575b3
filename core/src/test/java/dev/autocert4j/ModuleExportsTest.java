package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The published module's name and exported packages, read from its compiled module-info: the 1.0 surface. */
class ModuleExportsTest {
    private static ModuleDescriptor descriptor() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void exportsExactlyTheApiPackagesAndNoInternalOne() throws IOException {
        ModuleDescriptor module = descriptor();

        assertThat(module.name()).isEqualTo("dev.autocert4j");
        assertThat(module.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("dev.autocert4j", "dev.autocert4j.issuer", "dev.autocert4j.solver", "dev.autocert4j.solver.http", "dev.autocert4j.solver.dns", "dev.autocert4j.solver.dns.rfc2136", "dev.autocert4j.store", "dev.autocert4j.store.file", "dev.autocert4j.lock")
                .noneMatch(p -> p.contains(".internal"));
    }

    @Test
    void exportsTheResponderInternalsOnlyToTheIngressSolverForItsValidationSignal() throws IOException {
        assertThat(descriptor().exports()).filteredOn(ModuleDescriptor.Exports::isQualified).singleElement()
                .satisfies(e -> assertThat(e.source()).isEqualTo("dev.autocert4j.internal.http"))
                .satisfies(e -> assertThat(e.targets()).containsExactly("dev.autocert4j.solver.http.ingress"));
    }

    @Test
    void readsTheJdkHttpServerWithoutForcingItOnUsers() throws IOException {
        assertThat(descriptor().requires()).filteredOn(r -> r.name().equals("jdk.httpserver")).singleElement()
                .satisfies(r -> assertThat(r.modifiers()).doesNotContain(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
    }
}
