package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PebbleLauncherTest {
    @Test
    void theNotInstalledMessageIsOneLineThatSaysWhatToDo() {
        assertThat(PebbleLauncher.NOT_INSTALLED)
                .doesNotContain("\n")
                .contains("apt-get install -y pebble")
                .contains("PATH");
    }

    @Test
    void runsLocallyUnlessTestcontainersIsAskedForWhichThisVersionRefusesClearly() {
        PebbleLauncher.checkMode(null);
        PebbleLauncher.checkMode("local");
        assertThatThrownBy(() -> PebbleLauncher.checkMode("testcontainers"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not implemented in this version");
        assertThatThrownBy(() -> PebbleLauncher.checkMode("docker"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be unset, 'local' or 'testcontainers'");
    }
}
