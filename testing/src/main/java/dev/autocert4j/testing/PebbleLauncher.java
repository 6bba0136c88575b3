package dev.autocert4j.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.Executables;
import dev.autocert4j.testing.internal.LocalPorts;
import dev.autocert4j.testing.internal.WorkDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts pebble-challtestsrv, then Pebble, as local child processes ({@link PebbleMode#LOCAL}) in
 * a new working directory on free ports, and waits until both answer. When another process takes
 * a port in between, it tries again with others.
 */
final class PebbleLauncher {

    static final String NOT_INSTALLED = "Pebble is not installed: run `apt-get install -y pebble`"
            + " (Debian/Ubuntu), or put the pebble and pebble-challtestsrv binaries on the PATH";

    private static final Logger LOG = LoggerFactory.getLogger(PebbleLauncher.class);
    private static final int START_ATTEMPTS = 3;

    private final PebbleSettings settings;
    private final Path pebbleExecutable;
    private final Path challTestSrvExecutable;
    private final Path directory;

    private PebbleLauncher(PebbleSettings settings, Path pebbleExecutable, Path challTestSrvExecutable,
            Path directory) {
        this.settings = settings;
        this.pebbleExecutable = pebbleExecutable;
        this.challTestSrvExecutable = challTestSrvExecutable;
        this.directory = directory;
    }

    /** See {@link PebbleServer.Builder#start()} for what is thrown. */
    static PebbleProcesses launch(PebbleSettings settings) {
        String path = System.getenv("PATH");
        Path pebble = Executables.findOnPath("pebble", path).orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
        Path challTestSrv = Executables.findOnPath("pebble-challtestsrv", path)
                .orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
        Path directory = WorkDirectories.create("autocert4j-pebble-", "Pebble");
        try {
            TlsMaterial tls = TlsMaterial.generate();
            tls.write(directory.resolve("cert.pem"), directory.resolve("key.pem"));
            return new PebbleLauncher(settings, pebble, challTestSrv, directory).startRetryingTakenPorts(tls);
        } catch (RuntimeException e) {
            WorkDirectories.deleteRecursively(directory);
            throw e;
        }
    }

    /** Whether pebble and pebble-challtestsrv are on the {@code PATH}. */
    static boolean installed() {
        String path = System.getenv("PATH");
        return Executables.findOnPath("pebble", path).isPresent()
                && Executables.findOnPath("pebble-challtestsrv", path).isPresent();
    }

    private PebbleProcesses startRetryingTakenPorts(TlsMaterial tls) {
        for (int attempt = 1; ; attempt++) {
            PebblePorts ports = PebblePorts.free();
            List<ChildProcess> started = new ArrayList<>();
            try {
                ChildProcess challTestSrv = startChallTestSrv(ports, started);
                ChildProcess pebble = startPebble(ports, started);
                return new PebbleProcesses(directory, tls, ports, challTestSrv::stop, pebble::stop);
            } catch (RuntimeException e) {
                Collections.reverse(started);
                started.forEach(ChildProcess::stop);
                boolean portTaken = started.stream().anyMatch(p -> p.log().contains("address already in use"));
                if (!portTaken || attempt == START_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("A port was taken while Pebble started; retrying with other ports");
            }
        }
    }

    private ChildProcess startChallTestSrv(PebblePorts ports, List<ChildProcess> started) {
        Path log = directory.resolve(PebbleProcesses.CHALLTESTSRV_LOG);
        WorkDirectories.deleteIfExists(log);
        List<String> command = new ArrayList<>();
        command.add(challTestSrvExecutable.toString());
        command.addAll(ports.challTestSrvArguments());
        ChildProcess process = ChildProcess.start("pebble-challtestsrv", command, Map.of(), directory, log);
        started.add(process);
        process.awaitReady(settings.startTimeout(),
                () -> LocalPorts.accepts(ports.challTestSrvManagement()) && LocalPorts.accepts(ports.dns()));
        return process;
    }

    private ChildProcess startPebble(PebblePorts ports, List<ChildProcess> started) {
        Path configFile = directory.resolve("pebble-config.json");
        try {
            Files.writeString(configFile, settings.config(directory, ports).toJson(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
        Path log = directory.resolve(PebbleProcesses.PEBBLE_LOG);
        WorkDirectories.deleteIfExists(log);
        ChildProcess process = ChildProcess.start("pebble", List.of(
                pebbleExecutable.toString(),
                "-config", configFile.toString(),
                "-dnsserver", settings.pebbleDnsServer(ports.dns())), settings.environment(), directory, log);
        started.add(process);
        process.awaitReady(settings.startTimeout(),
                () -> LocalPorts.accepts(ports.acme()) && LocalPorts.accepts(ports.management()));
        return process;
    }
}
