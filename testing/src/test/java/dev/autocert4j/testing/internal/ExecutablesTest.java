package dev.autocert4j.testing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {
    @Test
    void findsExecutablesOnlyOnThePath(@TempDir Path directory) throws Exception {
        Path tool = Files.createFile(directory.resolve("tool"));
        assertThat(Executables.findOnPath("tool", directory.toString())).isEmpty();

        tool.toFile().setExecutable(true);

        assertThat(Executables.findOnPath("tool", "/nonexistent:" + directory)).contains(tool);
        assertThat(Executables.findOnPath("tool", null)).isEmpty();
    }
}
