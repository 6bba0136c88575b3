package dev.autocert4j.testing;

import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.internal.WorkDirectories;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One running pair of pebble and pebble-challtestsrv, as a launcher started it (child processes
 * or containers): the ports they listen on, Pebble's TLS identity, their working directory with
 * both log files, and how to stop them.
 */
final class PebbleProcesses {

    static final String PEBBLE_LOG = "pebble.log";
    static final String CHALLTESTSRV_LOG = "pebble-challtestsrv.log";

    private final Path workDirectory;
    private final TlsMaterial tls;
    private final PebblePorts ports;
    private final Runnable stopChallTestSrv;
    private final Runnable stopPebble;
    private final Duration logSettle;

    PebbleProcesses(Path workDirectory, TlsMaterial tls, PebblePorts ports, Runnable stopChallTestSrv,
            Runnable stopPebble) {
        this(workDirectory, tls, ports, stopChallTestSrv, stopPebble, Duration.ZERO);
    }

    /**
     * @param logSettle how long the log must stay unchanged before a count is read from it: a container's log
     *     reaches the file through the engine's log stream, a little after Pebble printed it
     */
    PebbleProcesses(Path workDirectory, TlsMaterial tls, PebblePorts ports, Runnable stopChallTestSrv,
            Runnable stopPebble, Duration logSettle) {
        this.logSettle = logSettle;
        this.workDirectory = workDirectory;
        this.tls = tls;
        this.ports = ports;
        this.stopChallTestSrv = stopChallTestSrv;
        this.stopPebble = stopPebble;
    }

    Path workDirectory() {
        return workDirectory;
    }

    TlsMaterial tls() {
        return tls;
    }

    PebblePorts ports() {
        return ports;
    }

    /** What Pebble has printed so far; with a settle time, once the log stopped growing (at most 5 s). */
    String pebbleLog() {
        Path file = workDirectory.resolve(PEBBLE_LOG);
        if (logSettle.isZero()) {
            return ChildProcess.readLog(file);
        }
        // Settled when the log is the same as it was logSettle ago.
        String[] seen = {ChildProcess.readLog(file)};
        long[] seenAt = {System.nanoTime()};
        try {
            Poll.until(Duration.ofSeconds(5), () -> {
                String now = ChildProcess.readLog(file);
                if (!now.equals(seen[0])) {
                    seen[0] = now;
                    seenAt[0] = System.nanoTime();
                    return false;
                }
                return System.nanoTime() - seenAt[0] >= logSettle.toNanos();
            }, () -> "Pebble's log kept growing for 5 s");
        } catch (IllegalStateException stillGrowing) {
            // a busy Pebble: count what is there
        }
        return seen[0];
    }

    /** Both logs, each under a header line. */
    String log() {
        return "==== pebble ====\n" + pebbleLog() + "\n==== pebble-challtestsrv ====\n"
                + ChildProcess.readLog(workDirectory.resolve(CHALLTESTSRV_LOG));
    }

    /** Stops both, waits until they have ended, and deletes the working directory. */
    void stopAndDelete() {
        try {
            stopPebble.run();
        } finally {
            try {
                stopChallTestSrv.run();
            } finally {
                WorkDirectories.deleteRecursively(workDirectory);
            }
        }
    }
}
