package dev.autocert4j.testing;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Which {@link PebbleMode} a server uses: the one asked for (builder, then
 * {@code AUTOCERT4J_PEBBLE}), else the local binaries when installed, else containers when a
 * container engine answers, else none, with a message that names both ways to get Pebble. The
 * probes are asked lazily and in that order, so a machine with Pebble installed never waits for a
 * Docker probe.
 *
 * @param mode the chosen mode, empty when Pebble cannot run here
 * @param unavailable why no mode was chosen and what to do; empty when one was
 */
record PebbleModeChoice(Optional<PebbleMode> mode, String unavailable) {

    /** The environment variable that selects the mode: unset, {@code local} or {@code testcontainers}. */
    static final String MODE_VARIABLE = "AUTOCERT4J_PEBBLE";

    static final String HOW_TO_GET_PEBBLE = "install the Debian/Ubuntu package `pebble` (apt-get install -y"
            + " pebble) to run it locally, or add the test dependency dev.autocert4j:autocert4j-testing-testcontainers"
            + " and make a Docker API reachable (Docker, or `podman system service`) to run it in containers";

    PebbleModeChoice {
        requireNonNull(mode, "mode");
        requireNonNull(unavailable, "unavailable");
    }

    /**
     * Decides the mode.
     *
     * @param explicit the mode set on the builder, or {@code null}
     * @param variable the value of {@code AUTOCERT4J_PEBBLE}, or {@code null}
     * @param localInstalled whether pebble and pebble-challtestsrv are on the {@code PATH}
     * @param containersReachable whether a {@link ContainerEngine} is present and reachable
     * @throws IllegalStateException if the variable holds an unknown mode
     */
    static PebbleModeChoice choose(PebbleMode explicit, String variable, BooleanSupplier localInstalled,
            BooleanSupplier containersReachable) {
        if (explicit != null) {
            return of(explicit);
        }
        Optional<PebbleMode> asked = parse(variable);
        if (asked.isPresent()) {
            return of(asked.get());
        }
        if (localInstalled.getAsBoolean()) {
            return of(PebbleMode.LOCAL);
        }
        if (containersReachable.getAsBoolean()) {
            return of(PebbleMode.TESTCONTAINERS);
        }
        return new PebbleModeChoice(Optional.empty(), "Pebble is neither installed nor reachable through a"
                + " container engine: " + HOW_TO_GET_PEBBLE + " (or set " + MODE_VARIABLE
                + "=local|testcontainers to choose)");
    }

    /** The mode {@code AUTOCERT4J_PEBBLE} asks for; empty when unset or blank. */
    static Optional<PebbleMode> parse(String variable) {
        if (variable == null || variable.isBlank()) {
            return Optional.empty();
        }
        return switch (variable.strip().toLowerCase(Locale.ROOT)) {
            case "local" -> Optional.of(PebbleMode.LOCAL);
            case "testcontainers" -> Optional.of(PebbleMode.TESTCONTAINERS);
            default -> throw new IllegalStateException(MODE_VARIABLE
                    + " must be unset, 'local' or 'testcontainers', was '" + variable + "'");
        };
    }

    private static PebbleModeChoice of(PebbleMode mode) {
        return new PebbleModeChoice(Optional.of(mode), "");
    }
}
