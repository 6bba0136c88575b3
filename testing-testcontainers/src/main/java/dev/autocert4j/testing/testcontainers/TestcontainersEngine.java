package dev.autocert4j.testing.testcontainers;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.testing.ContainerEngine;
import dev.autocert4j.testing.ContainerSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A {@link ContainerEngine} on Testcontainers: each container joins the host's network, gets its
 * files copied in before it starts, and counts as started once its ready line appears. Found by
 * {@code PebbleServer} through {@link java.util.ServiceLoader}; users need not call it.
 *
 * <p>Testcontainers finds the Docker API as usual ({@code DOCKER_HOST},
 * {@code ~/.testcontainers.properties}, the default socket). With podman, start
 * {@code podman system service} and set {@code DOCKER_HOST} to its socket,
 * {@code TESTCONTAINERS_RYUK_DISABLED=true} where the Ryuk image cannot be pulled. Thread-safe.
 */
public final class TestcontainersEngine implements ContainerEngine {

    private static final Logger LOG = LoggerFactory.getLogger(TestcontainersEngine.class);
    /** Copied files are readable by whatever user the image runs as; they hold a throwaway test key. */
    private static final int FILE_MODE = 0644;

    /** Creates the engine; the Docker API is first contacted by {@link #isReachable()} or {@link #start}. */
    public TestcontainersEngine() {
    }

    /**
     * Whether Testcontainers finds a Docker API.
     *
     * @return {@code true} if a Docker API answers
     */
    @Override
    public boolean isReachable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            LOG.debug("No Docker API for Testcontainers: {}", e.toString());
            return false;
        }
    }

    /**
     * Starts the container in the host's network and waits for its ready line; removes it again if
     * that fails.
     *
     * @param spec what to run
     * @return the running container
     * @throws IllegalStateException if it cannot be started or is not ready in time
     */
    @Override
    public RunningContainer start(ContainerSpec spec) {
        requireNonNull(spec, "spec");
        LogFile log = LogFile.open(spec);
        GenericContainer<?> container = container(spec, log);
        try {
            container.start();
        } catch (RuntimeException e) {
            stop(container, log);
            throw new IllegalStateException(spec.name() + " (" + spec.image() + ") did not start: " + e.getMessage()
                    + "; see " + spec.logFile(), e);
        }
        LOG.debug("Started {} in container {} from {}", spec.name(), container.getContainerId(), spec.image());
        return new Started(container, log);
    }

    @SuppressWarnings("resource") // the container is started and closed by the caller
    private static GenericContainer<?> container(ContainerSpec spec, LogFile log) {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(spec.image()))
                .withNetworkMode("host")
                .withCommand(spec.arguments().toArray(String[]::new))
                .withEnv(spec.environment())
                .withLogConsumer(log::append)
                .withStartupAttempts(1)
                .waitingFor(Wait.forLogMessage(".*(?:" + spec.readyLogPattern().pattern() + ").*", 1)
                        .withStartupTimeout(spec.startTimeout()));
        for (Map.Entry<String, java.nio.file.Path> file : spec.files().entrySet()) {
            container.withCopyFileToContainer(MountableFile.forHostPath(file.getValue(), FILE_MODE), file.getKey());
        }
        return container;
    }

    private static void stop(GenericContainer<?> container, LogFile log) {
        try {
            container.stop();
        } finally {
            log.close();
        }
    }

    /** A started container; {@link #close()} stops and removes it once. */
    private static final class Started implements RunningContainer {

        private final GenericContainer<?> container;
        private final LogFile log;
        private boolean closed;

        Started(GenericContainer<?> container, LogFile log) {
            this.container = container;
            this.log = log;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                stop(container, log);
            }
        }
    }

    /** The host file a container's output is appended to, frame by frame. */
    private static final class LogFile {

        private final OutputStream out;

        private LogFile(OutputStream out) {
            this.out = out;
        }

        static LogFile open(ContainerSpec spec) {
            try {
                return new LogFile(Files.newOutputStream(spec.logFile(), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + spec.logFile(), e);
            }
        }

        synchronized void append(OutputFrame frame) {
            byte[] bytes = frame.getBytes();
            if (bytes == null) {
                return;
            }
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                LOG.debug("Cannot append to a container log: {}", e.toString());
            }
        }

        synchronized void close() {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("Cannot close a container log: {}", e.toString());
            }
        }
    }
}
