package dev.autocert4j.testing;

import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the {@link ContainerEngine} on the class or module path, if any. */
final class ContainerEngines {

    static final String MISSING = "no ContainerEngine found for " + PebbleModeChoice.MODE_VARIABLE
            + "=testcontainers: add the test dependency dev.autocert4j:autocert4j-testing-testcontainers";

    private ContainerEngines() {
    }

    /** The first engine {@link ServiceLoader} finds through the thread's context class loader. */
    static Optional<ContainerEngine> find() {
        return ServiceLoader.load(ContainerEngine.class).findFirst();
    }

    /** Whether an engine is present and reachable. */
    static boolean reachable() {
        return find().map(ContainerEngine::isReachable).orElse(false);
    }
}
