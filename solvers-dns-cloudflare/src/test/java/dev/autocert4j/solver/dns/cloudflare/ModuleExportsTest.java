package dev.autocert4j.solver.dns.cloudflare;

import dev.autocert4j.testing.support.ModuleShape;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The published module's name and exported packages, read from its compiled module-info: the 1.0 surface. */
class ModuleExportsTest {
    @Test
    void exportsExactlyTheApiPackage() throws IOException {
        ModuleShape.assertNamedModule("dev.autocert4j.solver.dns.cloudflare", "dev.autocert4j.solver.dns.cloudflare");
    }
}
