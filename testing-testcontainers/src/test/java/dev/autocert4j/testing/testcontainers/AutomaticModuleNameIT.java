package dev.autocert4j.testing.testcontainers;

import dev.autocert4j.testing.support.ModuleShape;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The built jar names its module in its manifest (Testcontainers has no module name, so there is no
 * module-info): on the module path it is the automatic module dev.autocert4j.testing.testcontainers.
 */
class AutomaticModuleNameIT {
    @Test
    void theJarIsTheAutomaticModuleNamedInItsManifest() throws IOException {
        ModuleShape.assertAutomaticModule("dev.autocert4j.testing.testcontainers", "dev.autocert4j.testing.testcontainers");
    }
}
