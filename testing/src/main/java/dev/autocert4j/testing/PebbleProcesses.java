package dev.autocert4j.testing;

import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.WorkDirectories;
import java.nio.file.Path;

/**
 * One running pair of pebble and pebble-challtestsrv, as {@link PebbleLauncher} started it: the
 * processes, the ports they listen on, Pebble's TLS identity and their working directory.
 */
final class PebbleProcesses {

    private final Path workDirectory;
    private final TlsMaterial tls;
    private final PebblePorts ports;
    private final ChildProcess challTestSrv;
    private final ChildProcess pebble;

    PebbleProcesses(Path workDirectory, TlsMaterial tls, PebblePorts ports, ChildProcess challTestSrv,
            ChildProcess pebble) {
        this.workDirectory = workDirectory;
        this.tls = tls;
        this.ports = ports;
        this.challTestSrv = challTestSrv;
        this.pebble = pebble;
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

    /** What Pebble has printed so far. */
    String pebbleLog() {
        return pebble.log();
    }

    /** Both logs, each under a header line. */
    String log() {
        return "==== pebble ====\n" + pebble.log() + "\n==== pebble-challtestsrv ====\n" + challTestSrv.log();
    }

    /** Stops both processes, waits until they have ended, and deletes the working directory. */
    void stopAndDelete() {
        pebble.stop();
        challTestSrv.stop();
        WorkDirectories.deleteRecursively(workDirectory);
    }
}
