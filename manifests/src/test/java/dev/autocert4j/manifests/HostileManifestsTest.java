package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests built to exhaust the reader: each ends in a ManifestException that names the limit. */
class HostileManifestsTest {
    private static final String HEAD = """
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
            spec:
              dnsNames:\s""";

    @Test
    void twentyThousandNestedBracketsAreAManifestExceptionNamingTheDepthLimitNotAStackOverflow() {
        String yaml = HEAD + "[".repeat(20_000) + "]".repeat(20_000) + "\n";

        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(yaml, "deep.yaml", ManifestOptions.defaults()));

        assertThat(e).isNotNull();
        assertThat(e.source()).isEqualTo("deep.yaml");
        assertThat(e.document()).isEqualTo(1);
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.problem()).contains("deeper than " + ManifestReader.MAX_DEPTH + " levels");
    }

    @Test
    void nestedMappingsCountAsWellAsSequences() {
        StringBuilder yaml = new StringBuilder(HEAD).append('\n');
        for (int i = 0; i < ManifestReader.MAX_DEPTH + 1; i++) {
            yaml.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
        }
        yaml.append("  ".repeat(ManifestReader.MAX_DEPTH + 2)).append("leaf\n");

        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(yaml.toString(), "mappings.yaml", ManifestOptions.defaults()));

        assertThat(e).isNotNull();
        assertThat(e.problem()).contains("deeper than " + ManifestReader.MAX_DEPTH);
    }

    @Test
    void nestingUpToTheLimitIsReadAndJudgedByItsContent() {
        // dnsNames nested within the limit: the reader gets past parsing and says what is wrong with the field
        String yaml = HEAD + "[".repeat(ManifestReader.MAX_DEPTH - 2) + "]".repeat(ManifestReader.MAX_DEPTH - 2) + "\n";

        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(yaml, "shallow.yaml", ManifestOptions.defaults()));

        assertThat(e).isNotNull();
        assertThat(e.problem()).doesNotContain("deeper than");
        assertThat(e.field()).startsWith("spec");
    }

    @Test
    void aTextOverTheSizeLimitIsRefusedWithTheLimitInTheMessage() {
        String yaml = HEAD + "\n# " + "x".repeat(ManifestReader.MAX_CHARACTERS) + "\n";

        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(yaml, "huge.yaml", ManifestOptions.defaults()));

        assertThat(e).isNotNull();
        assertThat(e.problem()).contains("limit of " + ManifestReader.MAX_CHARACTERS + " characters").contains("split it");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.yaml");
        Files.write(file, (HEAD + "\n# " + "x".repeat(4 * ManifestReader.MAX_CHARACTERS + 1) + "\n").getBytes(StandardCharsets.UTF_8));

        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.load(java.util.List.of(file), ManifestOptions.defaults()));

        assertThat(e).isNotNull();
        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.problem()).contains("bytes, more than the limit");
    }
}
