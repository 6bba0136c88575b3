package dev.autocert4j.testing.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One started executable whose stdout and stderr go to a log file. Thread-safe. */
public final class ChildProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} with the given environment changes ({@code null} value: remove the
     * variable), stdin closed, stdout and stderr appended to {@code logFile}.
     *
     * @param name the name used in log and error messages
     * @param command the executable and its arguments
     * @param environment variables to set, or with a {@code null} value to remove
     * @param workingDirectory the process's working directory
     * @param logFile the file that receives stdout and stderr
     * @return the started process
     * @throws UncheckedIOException if the process cannot be started
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment,
            Path workingDirectory, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        environment.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        try {
            Process process = builder.start();
            LOG.debug("Started {} (pid {}): {}", name, process.pid(), command);
            return new ChildProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** @return the name given at start */
    public String name() {
        return name;
    }

    /** @return whether the process still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the exit code, or {@code null} while the process runs */
    public Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** @return everything the process has written so far (invalid UTF-8 replaced) */
    public String log() {
        return readLog(logFile);
    }

    /**
     * @param logFile a log file, e.g. one a container's output is appended to
     * @return its content so far (invalid UTF-8 replaced), empty if it does not exist yet
     */
    public static String readLog(Path logFile) {
        try {
            byte[] bytes = Files.readAllBytes(logFile);
            return UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /**
     * @param lines how many lines
     * @return the last {@code lines} lines of the log
     */
    public String logTail(int lines) {
        String[] all = log().split("\n", -1);
        int from = Math.max(0, all.length - lines - 1);
        return String.join("\n", Arrays.asList(all).subList(from, all.length)).strip();
    }

    /**
     * Polls {@code ready} until it holds, while the process runs.
     *
     * @param timeout how long to wait
     * @param ready whether the process answers, e.g. {@link LocalPorts#accepts(int)}
     * @throws IllegalStateException if the process exits first, the timeout passes or the thread
     *     is interrupted; the message holds the tail of the log
     */
    public void awaitReady(Duration timeout, BooleanSupplier ready) {
        Poll.until(timeout, () -> {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with code " + exitCode()
                        + " while starting; its log ends with:\n" + logTail(20));
            }
            return ready.getAsBoolean();
        }, () -> name + " did not answer within " + timeout + "; its log ends with:\n" + logTail(20));
    }

    /** Kills the process at once (SIGKILL, no shutdown hooks run) and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("Killed {} (pid {})", name, process.pid());
    }

    /** Ends the process: SIGTERM, then SIGKILL after a grace period; waits until it is gone. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.debug("Stopped {} (pid {})", name, process.pid());
    }
}
