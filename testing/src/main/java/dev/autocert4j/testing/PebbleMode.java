package dev.autocert4j.testing;

/**
 * How a {@link PebbleServer} runs Pebble and pebble-challtestsrv. Chosen with
 * {@link PebbleServer.Builder#mode(PebbleMode)} or the environment variable
 * {@code AUTOCERT4J_PEBBLE} ({@code local} or {@code testcontainers}); when neither is set, the
 * local binaries are used if installed, else containers if a Docker API is reachable.
 */
public enum PebbleMode {

    /** The {@code pebble} and {@code pebble-challtestsrv} executables on the {@code PATH}. */
    LOCAL,

    /**
     * Two containers with host networking, started through a {@link ContainerEngine} such as the
     * one in {@code autocert4j-testing-testcontainers}.
     */
    TESTCONTAINERS
}
