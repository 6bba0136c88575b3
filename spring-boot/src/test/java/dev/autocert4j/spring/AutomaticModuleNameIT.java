package dev.autocert4j.spring;

import dev.autocert4j.testing.support.ModuleShape;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The built jar names its module in its manifest (no module-info: Spring Boot's jars are automatic modules): on
 * the module path it is the automatic module dev.autocert4j.spring.
 */
class AutomaticModuleNameIT {
    @Test
    void theJarIsTheAutomaticModuleNamedInItsManifest() throws IOException {
        ModuleShape.assertAutomaticModule("dev.autocert4j.spring", "dev.autocert4j.spring");
    }
}
