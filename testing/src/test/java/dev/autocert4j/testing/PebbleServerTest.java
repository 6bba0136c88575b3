package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PebbleServerTest {

    private static final String KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    @Test
    void turnsVaSleepOffAndSetsOnlyTheKnobsThatWereAsked() {
        assertThat(PebbleServer.builder().settings().environment())
                .containsEntry("PEBBLE_VA_NOSLEEP", "1")
                .doesNotContainKeys("PEBBLE_WFE_NONCEREJECT", "PEBBLE_AUTHZREUSE");

        assertThat(PebbleServer.builder().vaNoSleep(false).nonceRejectPercent(0).authzReuse(100).settings().environment())
                .doesNotContainEntry("PEBBLE_VA_NOSLEEP", "1")
                .containsEntry("PEBBLE_WFE_NONCEREJECT", "0")
                .containsEntry("PEBBLE_AUTHZREUSE", "100");
    }

    @Test
    void passesValidityAndEabKeysIntoTheConfig(@TempDir Path directory) {
        PebbleConfig config = PebbleServer.builder()
                .certificateValidity(Duration.ofDays(1))
                .externalAccountBinding("kid-1", KEY)
                .settings()
                .config(directory, new PebblePorts(1, 2, 3, 4, 5, 6));

        assertThat(config.listenPort()).isEqualTo(1);
        assertThat(config.managementPort()).isEqualTo(2);
        assertThat(config.httpPort()).isEqualTo(5);
        assertThat(config.tlsPort()).isEqualTo(6);
        assertThat(config.certificateValidity()).contains(Duration.ofDays(1));
        assertThat(config.externalAccountMacKeys()).containsEntry("kid-1", KEY);
    }

    @Test
    void rejectsBadSettingsAtOnce() {
        assertThatThrownBy(() -> PebbleServer.builder().nonceRejectPercent(101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..100");
        assertThatThrownBy(() -> PebbleServer.builder().authzReuse(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PebbleServer.builder().certificateValidity(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> PebbleServer.builder().certificateValidity(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PebbleServer.builder().externalAccountBinding("kid", "not base64url!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not base64url!");
        assertThatThrownBy(() -> PebbleServer.builder().externalAccountBinding("kid", "c2hvcnQ"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PebbleServer.builder().certificateValidity(null))
                .isInstanceOf(NullPointerException.class).hasMessage("validity");
    }

    @Test
    void refusesASettingMadeTwice() {
        assertThatThrownBy(() -> PebbleServer.builder().vaNoSleep(true).vaNoSleep(false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("vaNoSleep");
        assertThatThrownBy(() -> PebbleServer.builder().externalAccountBinding("kid", KEY).externalAccountBinding("kid", KEY))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("kid");
    }

}
