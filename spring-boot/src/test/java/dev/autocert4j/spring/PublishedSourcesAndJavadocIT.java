package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The sources and javadoc jars that package wrote beside the starter's jar cover every class of that jar, also the
 * Spring Boot 3 health classes that spring-boot-3-health builds and that are unpacked into it.
 */
class PublishedSourcesAndJavadocIT {
    private static final String PACKAGE = "dev/autocert4j/spring/";
    private static final Path JAR = Path.of(System.getProperty("autocert4j.jar"));

    private static Path beside(String classifier) {
        return JAR.resolveSibling(JAR.getFileName().toString().replaceFirst("\\.jar$", "-" + classifier + ".jar"));
    }

    /** The top-level classes of the starter's package in the jar, as paths without their extension. */
    private static List<String> topLevelClasses() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith(PACKAGE) && n.endsWith(".class"))
                    .filter(n -> !n.contains("$")).map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> !n.endsWith("/package-info")).sorted().toList();
        }
    }

    /** The Java sources of the sources jar, by path without their extension. */
    private static Map<String, String> sources() throws IOException {
        try (JarFile jar = new JarFile(beside("sources").toFile())) {
            return jar.stream().filter(e -> e.getName().endsWith(".java")).collect(Collectors.toMap(
                    e -> e.getName().substring(0, e.getName().length() - ".java".length()), Function.identity()))
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> read(jar, e.getValue())));
        }
    }

    private static String read(JarFile jar, ZipEntry entry) {
        try {
            return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + entry.getName() + " from " + jar.getName(), e);
        }
    }

    @Test
    void theSourcesJarHasTheSourceOfEveryClassInTheJarIncludingTheSpringBoot3Ones() throws IOException {
        List<String> classes = topLevelClasses();
        assertThat(classes).contains(PACKAGE + "Boot3CertificateHealthIndicator",
                PACKAGE + "Autocert4jBoot3HealthAutoConfiguration");
        assertThat(sources().keySet()).containsAll(classes);
    }

    @Test
    void theJavadocJarDocumentsEveryPublicClassInTheJarIncludingTheSpringBoot3Ones() throws IOException {
        Map<String, String> sources = sources();
        List<String> publicClasses = topLevelClasses().stream().filter(name -> sources.containsKey(name))
                .filter(name -> declaresPublicType(sources.get(name), name.substring(name.lastIndexOf('/') + 1))).toList();
        assertThat(publicClasses).contains(PACKAGE + "Boot3CertificateHealthIndicator",
                PACKAGE + "Autocert4jBoot3HealthAutoConfiguration");
        try (JarFile javadoc = new JarFile(beside("javadoc").toFile())) {
            List<String> pages = javadoc.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".html")).toList();
            assertThat(pages).containsAll(publicClasses.stream().map(name -> name + ".html").toList());
        }
    }

    private static boolean declaresPublicType(String source, String simpleName) {
        return Pattern.compile("^public (?:final |abstract )*(?:class|interface|enum|record|@interface) " + simpleName + "\\b",
                Pattern.MULTILINE).matcher(source).find();
    }
}
