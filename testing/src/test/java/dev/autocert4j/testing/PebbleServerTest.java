package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PebbleServerTest {

    private static final String KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    @Test
    void countsTheLatestNumberPebbleLogged() {
        Pattern accounts = Pattern.compile("There are now (\\d+) accounts in memory");
        String log = "Pebble 2024/01/01 There are now 1 accounts in memory\n"
                + "Pebble 2024/01/01 There are now 12 accounts in memory\n"
                + "Pebble 2024/01/01 There are now 3 orders in the db\n";

        assertThat(PebbleServer.lastCount(log, accounts)).isEqualTo(12);
        assertThat(PebbleServer.lastCount("", accounts)).isZero();
    }

    @Test
    void givesHostNamesExactlyOneTrailingDot() {
        assertThat(PebbleServer.fqdn("Example.TEST")).isEqualTo("example.test.");
        assertThat(PebbleServer.fqdn("_acme-challenge.example.test.")).isEqualTo("_acme-challenge.example.test.");
        assertThatThrownBy(() -> PebbleServer.fqdn("a..b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PebbleServer.fqdn(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PebbleServer.fqdn(null)).isInstanceOf(NullPointerException.class).hasMessage("host");
    }

    @Test
    void turnsVaSleepOffAndSetsOnlyTheKnobsThatWereAsked() {
        assertThat(PebbleServer.builder().environment())
                .containsEntry("PEBBLE_VA_NOSLEEP", "1")
                .doesNotContainKeys("PEBBLE_WFE_NONCEREJECT", "PEBBLE_AUTHZREUSE");

        assertThat(PebbleServer.builder().vaNoSleep(false).nonceRejectPercent(0).authzReuse(100).environment())
                .doesNotContainEntry("PEBBLE_VA_NOSLEEP", "1")
                .containsEntry("PEBBLE_WFE_NONCEREJECT", "0")
                .containsEntry("PEBBLE_AUTHZREUSE", "100");
    }

    @Test
    void passesValidityAndEabKeysIntoTheConfig(@TempDir Path directory) {
        PebbleConfig config = PebbleServer.builder()
                .certificateValidity(Duration.ofDays(1))
                .externalAccountBinding("kid-1", KEY)
                .config(directory, List.of(1, 2, 3, 4, 5, 6));

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

    @Test
    void findsExecutablesOnlyOnThePath(@TempDir Path directory) throws Exception {
        Path tool = Files.createFile(directory.resolve("tool"));
        assertThat(PebbleServer.findOnPath("tool", directory.toString())).isEmpty();

        tool.toFile().setExecutable(true);

        assertThat(PebbleServer.findOnPath("tool", "/nonexistent:" + directory)).contains(tool);
        assertThat(PebbleServer.findOnPath("tool", null)).isEmpty();
    }

    @Test
    void theNotInstalledMessageIsOneLineThatSaysWhatToDo() {
        assertThat(PebbleServer.NOT_INSTALLED)
                .doesNotContain("\n")
                .contains("apt-get install -y pebble")
                .contains("PATH");
    }

    @Test
    void runsLocallyUnlessTestcontainersIsAskedForWhichThisVersionRefusesClearly() {
        PebbleServer.checkMode(null);
        PebbleServer.checkMode("local");
        assertThatThrownBy(() -> PebbleServer.checkMode("testcontainers"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not implemented in this version");
        assertThatThrownBy(() -> PebbleServer.checkMode("docker"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be unset, 'local' or 'testcontainers'");
    }
}
