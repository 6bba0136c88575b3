package dev.autocert4j.testing;

/**
 * Starts the containers of {@link PebbleMode#TESTCONTAINERS}. {@link PebbleServer} finds an
 * implementation with {@link java.util.ServiceLoader}; {@code autocert4j-testing-testcontainers}
 * provides one on Testcontainers, which a test only needs to put on its class or module path.
 * Other engines may be plugged in the same way.
 *
 * <p>Implementations MUST be safe for concurrent use and MUST have a public no-argument
 * constructor.
 */
public interface ContainerEngine {

    /**
     * Whether a container engine answers now (for Testcontainers: a Docker API). MUST NOT throw;
     * MAY take a few seconds.
     *
     * @return {@code true} if {@link #start(ContainerSpec)} can be expected to work
     */
    boolean isReachable();

    /**
     * Starts one container as {@code spec} says, in the host's network namespace, and waits until
     * its output matches {@link ContainerSpec#readyLogPattern()}. On failure the container MUST
     * be removed before this method throws.
     *
     * @param spec what to run
     * @return the running container; closing it stops and removes the container
     * @throws IllegalStateException if the container cannot be started or is not ready in time
     */
    RunningContainer start(ContainerSpec spec);

    /** A started container. Thread-safe. */
    interface RunningContainer extends AutoCloseable {

        /** Stops and removes the container and waits until it is gone. Calling it again does nothing. */
        @Override
        void close();
    }
}
