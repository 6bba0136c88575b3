package dev.autocert4j.testing.support;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a published module looks like to its users: the module name and the packages it exports, read from the
 * built jar (run from a {@code *IT}, after {@code package}) or from {@code target/classes/module-info.class}.
 */
public final class ModuleShape {
    private ModuleShape() {
    }

    /**
     * Fails unless the module's built jar names the automatic module {@code name} in its manifest and holds every
     * one of {@code packages} (an automatic module exports all its packages).
     *
     * @param name the expected {@code Automatic-Module-Name}
     * @param packages packages the jar must hold
     * @throws IOException when the jar cannot be read
     */
    public static void assertAutomaticModule(String name, String... packages) throws IOException {
        Path jar = builtJar();
        try (JarFile file = new JarFile(jar.toFile())) {
            String declared = file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
            check(name.equals(declared), "Automatic-Module-Name of " + jar + " is " + declared + ", expected " + name);
        }
        ModuleDescriptor module = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
        check(module.isAutomatic() && module.name().equals(name), jar + " is the module " + module.name()
                + (module.isAutomatic() ? " (automatic)" : "") + ", expected the automatic module " + name);
        Set<String> missing = new TreeSet<>(Set.of(packages));
        missing.removeAll(module.packages());
        check(missing.isEmpty(), jar + " lacks the packages " + missing);
    }

    /**
     * Fails unless {@code target/classes/module-info.class} declares the module {@code name} exporting exactly
     * {@code exports}, all unqualified and none internal.
     *
     * @param name the expected module name
     * @param exports the packages it must export, and no other
     * @throws IOException when module-info.class cannot be read
     */
    public static void assertNamedModule(String name, String... exports) throws IOException {
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        check(module.name().equals(name), "module " + module.name() + ", expected " + name);
        Set<String> actual = module.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        check(actual.equals(new TreeSet<>(Set.of(exports))), name + " exports " + actual + ", expected "
                + new TreeSet<>(Set.of(exports)));
        check(module.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified),
                name + " has qualified exports: " + module.exports());
        check(actual.stream().noneMatch(p -> p.contains(".internal")), name + " exports an internal package");
    }

    /**
     * @param module the module name
     * @param required a module it reads
     * @return whether {@code required} is read {@code transitive}ly, so that every user of the module reads it too
     * @throws IOException when module-info.class cannot be read
     */
    public static boolean requiresTransitively(String module, String required) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            ModuleDescriptor descriptor = ModuleDescriptor.read(in);
            check(descriptor.name().equals(module), "module " + descriptor.name() + ", expected " + module);
            return descriptor.requires().stream().filter(r -> r.name().equals(required)).findFirst()
                    .orElseThrow(() -> new AssertionError(module + " does not require " + required))
                    .modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
        }
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

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
