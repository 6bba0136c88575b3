package dev.autocert4j.testing;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One container a {@link ContainerEngine} starts for {@link PebbleServer}: the image, the
 * arguments given to its entry point, the environment, files copied in before it starts, and when
 * it counts as ready. The container joins the host's network, so it listens on 127.0.0.1 of the
 * machine running the test. Immutable; created by this module only.
 */
public final class ContainerSpec {

    private final String name;
    private final String image;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final Map<String, Path> files;
    private final Pattern readyLogPattern;
    private final Duration startTimeout;
    private final Path logFile;

    ContainerSpec(String name, String image, List<String> arguments, Map<String, String> environment,
            Map<String, Path> files, Pattern readyLogPattern, Duration startTimeout, Path logFile) {
        this.name = requireNonNull(name, "name");
        this.image = requireNonNull(image, "image");
        this.arguments = List.copyOf(arguments);
        this.environment = Map.copyOf(environment);
        this.files = new LinkedHashMap<>(files);
        this.readyLogPattern = requireNonNull(readyLogPattern, "readyLogPattern");
        this.startTimeout = requireNonNull(startTimeout, "startTimeout");
        this.logFile = requireNonNull(logFile, "logFile");
    }

    /**
     * A short name for messages, such as {@code pebble}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The image, e.g. {@code ghcr.io/letsencrypt/pebble:2.6.0}; pulled only if absent.
     *
     * @return the image reference
     */
    public String image() {
        return image;
    }

    /**
     * The arguments passed to the image's entry point (the container command).
     *
     * @return the arguments, unmodifiable
     */
    public List<String> arguments() {
        return arguments;
    }

    /**
     * The environment variables to set in the container.
     *
     * @return names and values, unmodifiable
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Files to copy into the container before it starts: the absolute path in the container and
     * the host file to copy there (readable by the container's user only where it holds a key).
     *
     * @return container path to host file, unmodifiable, in the order to copy
     */
    public Map<String, Path> files() {
        return java.util.Collections.unmodifiableMap(files);
    }

    /**
     * The container is ready once a line of its output (stdout or stderr) contains a match.
     *
     * @return the pattern to find in an output line
     */
    public Pattern readyLogPattern() {
        return readyLogPattern;
    }

    /**
     * How long to wait for the ready line, including a pull of the image.
     *
     * @return a positive duration
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The host file to which everything the container prints (stdout and stderr) is appended
     * while it runs.
     *
     * @return the log file
     */
    public Path logFile() {
        return logFile;
    }

    @Override
    public String toString() {
        return "ContainerSpec[" + name + ", image=" + image + ", arguments=" + arguments + ", files="
                + files.keySet() + "]";
    }
}
