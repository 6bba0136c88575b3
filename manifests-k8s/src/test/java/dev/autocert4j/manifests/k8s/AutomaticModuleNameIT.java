package dev.autocert4j.manifests.k8s;

import dev.autocert4j.testing.support.ModuleShape;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The built jar names its module in its manifest (fabric8 has no module names, so there is no module-info): on
 * the module path it is the automatic module dev.autocert4j.manifests.k8s.
 */
class AutomaticModuleNameIT {
    @Test
    void theJarIsTheAutomaticModuleNamedInItsManifest() throws IOException {
        ModuleShape.assertAutomaticModule("dev.autocert4j.manifests.k8s", "dev.autocert4j.manifests.k8s");
    }
}
