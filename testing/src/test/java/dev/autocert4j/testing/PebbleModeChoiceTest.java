package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class PebbleModeChoiceTest {

    private final AtomicInteger localProbes = new AtomicInteger();
    private final AtomicInteger containerProbes = new AtomicInteger();

    private BooleanSupplier local(boolean installed) {
        return () -> {
            localProbes.incrementAndGet();
            return installed;
        };
    }

    private BooleanSupplier containers(boolean reachable) {
        return () -> {
            containerProbes.incrementAndGet();
            return reachable;
        };
    }

    @Test
    void aModeSetOnTheBuilderWinsOverTheVariableAndAsksTheMachineNothing() {
        PebbleModeChoice choice = PebbleModeChoice.choose(PebbleMode.TESTCONTAINERS, "local", local(true), containers(false));

        assertThat(choice.mode()).contains(PebbleMode.TESTCONTAINERS);
        assertThat(localProbes).hasValue(0);
        assertThat(containerProbes).hasValue(0);
    }

    @Test
    void theVariableChoosesWhenTheBuilderDoesNotEvenIfThatModeCannotRun() {
        assertThat(PebbleModeChoice.choose(null, " TestContainers ", local(true), containers(false)).mode())
                .contains(PebbleMode.TESTCONTAINERS);
        assertThat(PebbleModeChoice.choose(null, "local", local(false), containers(true)).mode())
                .contains(PebbleMode.LOCAL);
        assertThat(localProbes).hasValue(0);
        assertThat(containerProbes).hasValue(0);
    }

    @Test
    void withoutAChoiceTheInstalledBinariesAreUsedWithoutProbingDocker() {
        PebbleModeChoice choice = PebbleModeChoice.choose(null, "", local(true), containers(true));

        assertThat(choice.mode()).contains(PebbleMode.LOCAL);
        assertThat(containerProbes).hasValue(0);
    }

    @Test
    void withoutBinariesContainersAreUsedWhenAnEngineAnswers() {
        assertThat(PebbleModeChoice.choose(null, null, local(false), containers(true)).mode())
                .contains(PebbleMode.TESTCONTAINERS);
    }

    @Test
    void withNeitherNoModeIsChosenAndTheMessageNamesBothWaysToGetPebble() {
        PebbleModeChoice choice = PebbleModeChoice.choose(null, null, local(false), containers(false));

        assertThat(choice.mode()).isEmpty();
        assertThat(choice.unavailable())
                .contains("apt-get install -y pebble")
                .contains("autocert4j-testing-testcontainers")
                .contains("Docker API")
                .contains("AUTOCERT4J_PEBBLE");
    }

    @Test
    void anUnknownModeInTheVariableIsRefusedWithTheAllowedValues() {
        assertThatThrownBy(() -> PebbleModeChoice.choose(null, "docker", local(true), containers(true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be unset, 'local' or 'testcontainers', was 'docker'");
    }

    @Test
    void imagesComeFromTheBuilderThenTheVariableThenThePinnedUpstreamDefault() {
        assertThat(ContainerPebbleLauncher.image("a/b:1", "c/d:2", "e/f:3")).isEqualTo("a/b:1");
        assertThat(ContainerPebbleLauncher.image(null, " c/d:2 ", "e/f:3")).isEqualTo("c/d:2");
        assertThat(ContainerPebbleLauncher.image(null, " ", "e/f:3")).isEqualTo("e/f:3");
        assertThat(ContainerPebbleLauncher.DEFAULT_PEBBLE_IMAGE).matches("ghcr\\.io/letsencrypt/pebble:\\d+\\.\\d+\\.\\d+");
        assertThat(ContainerPebbleLauncher.DEFAULT_CHALLTESTSRV_IMAGE)
                .matches("ghcr\\.io/letsencrypt/pebble-challtestsrv:\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void aBlankImageIsRefused() {
        assertThatThrownBy(() -> PebbleServer.builder().images("localhost/pebble:local", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("challTestSrvImage");
        assertThatThrownBy(() -> PebbleServer.builder().mode(PebbleMode.LOCAL).mode(PebbleMode.LOCAL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("mode");
    }
}
