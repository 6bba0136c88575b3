package dev.autocert4j.testing.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rule "no main source file over 500 lines", checked for the whole reactor from here: testing-support is
 * built before every other module's tests, so an overlong file fails the build early. Benchmarks, examples and the
 * bom-consumers projects count too: they are code users read.
 */
class MainSourceLengthTest {
    private static final int MAX_LINES = 500;
    /** This module's directory is the working directory of its tests; the reactor root is its parent. */
    private static final Path REACTOR = Path.of("..").toAbsolutePath().normalize();

    @Test
    void noMainSourceFileOfTheReactorIsOverFiveHundredLines() throws IOException {
        List<Path> sources = mainSources();
        assertThat(sources).as("main sources found under %s", REACTOR)
                .contains(REACTOR.resolve("core/src/main/java/dev/autocert4j/CertificateManager.java"))
                .hasSizeGreaterThan(100);

        List<String> overlong = sources.stream().map(MainSourceLengthTest::describeIfOverlong)
                .filter(s -> !s.isEmpty()).sorted().collect(Collectors.toList());
        assertThat(overlong).as("main source files over %d lines: move a coherent piece into its own type",
                MAX_LINES).isEmpty();
    }

    /** Every {@code src/main/java/**}{@code /*.java} below the reactor root, outside build output and dot dirs. */
    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(REACTOR)) {
            return files.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f))
                    .filter(f -> REACTOR.relativize(f).toString().replace('\\', '/').contains("src/main/java/"))
                    .filter(f -> noPartIsBuildOutputOrHidden(REACTOR.relativize(f)))
                    .collect(Collectors.toList());
        }
    }

    private static boolean noPartIsBuildOutputOrHidden(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    private static String describeIfOverlong(Path file) {
        try {
            int lines = Files.readAllLines(file).size();
            return lines > MAX_LINES ? REACTOR.relativize(file) + " (" + lines + " lines)" : "";
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
