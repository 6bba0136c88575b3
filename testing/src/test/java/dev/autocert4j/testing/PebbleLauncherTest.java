package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PebbleLauncherTest {
    @Test
    void theNotInstalledMessageIsOneLineThatSaysWhatToDo() {
        assertThat(PebbleLauncher.NOT_INSTALLED)
                .doesNotContain("\n")
                .contains("apt-get install -y pebble")
                .contains("PATH");
    }
}
