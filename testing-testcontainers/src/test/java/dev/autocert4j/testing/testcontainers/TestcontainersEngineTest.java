package dev.autocert4j.testing.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.testing.ContainerEngine;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TestcontainersEngineTest {
    @Test
    void theTestingModuleFindsThisEngineThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(ContainerEngine.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(TestcontainersEngine.class);
    }
}
