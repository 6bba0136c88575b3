package dev.autocert4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of the README is a region of this module's compiled sources, marked
 * {@code // tag::name[]} ... {@code // end::name[]}: a README snippet that no longer compiles fails the build.
 * Compared line by line after removing the region's common indentation and trailing blanks. A tag may mark several
 * regions of one file (as in Asciidoctor): they are joined in order, so that a snippet can start in the method that
 * reads the environment and go on in the method an integration test calls with its own client and CA.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\\n(.*?)```");
    private static final Pattern TAG = Pattern.compile("(?s)[ \\t]*// tag::([\\w-]+)\\[\\]\\n(.*?)[ \\t]*// end::\\1\\[\\]");

    @Test
    void everyJavaBlockOfTheReadmeIsCompiledHere() throws IOException {
        List<String> blocks = readmeBlocks();
        Map<String, String> regions = taggedRegions();

        assertThat(blocks).as("java blocks in README.md").isNotEmpty();
        List<String> missing = new ArrayList<>();
        for (String block : blocks) {
            if (!regions.containsValue(block)) {
                missing.add(block);
            }
        }
        assertThat(missing).as("README java blocks with no identical tagged region under docs/src/main/java "
                + "(change both together)").isEmpty();
    }

    @Test
    void everyTaggedRegionIsInTheReadme() throws IOException {
        List<String> blocks = readmeBlocks();

        Map<String, String> unused = new LinkedHashMap<>(taggedRegions());
        unused.values().removeAll(blocks);

        assertThat(unused.keySet()).as("tagged regions that the README no longer shows").isEmpty();
    }

    private static List<String> readmeBlocks() throws IOException {
        Matcher m = JAVA_BLOCK.matcher(Files.readString(README));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(normalize(m.group(1)));
        }
        return blocks;
    }

    private static Map<String, String> taggedRegions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            Map<String, String> inFile = new LinkedHashMap<>();
            Matcher m = TAG.matcher(Files.readString(file));
            while (m.find()) {
                inFile.merge(m.group(1), normalize(m.group(2)), String::concat);
            }
            for (Map.Entry<String, String> region : inFile.entrySet()) {
                String previous = regions.put(region.getKey(), region.getValue());
                assertThat(previous).as("tag %s used in two files", region.getKey()).isNull();
            }
        }
        return regions;
    }

    /** Drops the common indentation and trailing blanks, so that a region indented in a method compares equal. */
    static String normalize(String text) {
        List<String> lines = new ArrayList<>(text.stripTrailing().lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.get(0).isEmpty()) {
            lines.remove(0);
        }
        int indent = lines.stream().filter(l -> !l.isEmpty()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isEmpty() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
