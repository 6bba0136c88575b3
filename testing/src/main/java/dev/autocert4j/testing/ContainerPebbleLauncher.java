package dev.autocert4j.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.LocalPorts;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.internal.WorkDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts pebble-challtestsrv, then Pebble, as two containers in the host's network namespace, so
 * that they listen on 127.0.0.1 like the local mode and Pebble's VA reaches the test's responders
 * there. The configuration and Pebble's TLS certificate are generated on the host, in a working
 * directory that also receives both logs, and copied into the containers.
 */
final class ContainerPebbleLauncher {
    /** The engine streams container logs into the log files; counts wait until they stop growing this long. */
    private static final java.time.Duration LOG_SETTLE = java.time.Duration.ofMillis(250);


    /** The upstream Pebble image used unless another is configured. */
    static final String DEFAULT_PEBBLE_IMAGE = "ghcr.io/letsencrypt/pebble:2.6.0";
    /** The upstream pebble-challtestsrv image used unless another is configured. */
    static final String DEFAULT_CHALLTESTSRV_IMAGE = "ghcr.io/letsencrypt/pebble-challtestsrv:2.6.0";
    /** Overrides the Pebble image when the builder sets none. */
    static final String PEBBLE_IMAGE_VARIABLE = "AUTOCERT4J_PEBBLE_IMAGE";
    /** Overrides the pebble-challtestsrv image when the builder sets none. */
    static final String CHALLTESTSRV_IMAGE_VARIABLE = "AUTOCERT4J_CHALLTESTSRV_IMAGE";

    private static final Logger LOG = LoggerFactory.getLogger(ContainerPebbleLauncher.class);
    private static final int START_ATTEMPTS = 3;
    private static final Path IN_CONTAINER = Path.of("/autocert4j");
    private static final Pattern PEBBLE_READY = Pattern.compile("ACME directory available");
    private static final Pattern CHALLTESTSRV_READY = Pattern.compile("Starting management server");

    private final PebbleSettings settings;
    private final String pebbleImage;
    private final String challTestSrvImage;
    private final ContainerEngine engine;
    private final Path directory;

    private ContainerPebbleLauncher(PebbleSettings settings, String pebbleImage, String challTestSrvImage,
            ContainerEngine engine, Path directory) {
        this.settings = settings;
        this.pebbleImage = pebbleImage;
        this.challTestSrvImage = challTestSrvImage;
        this.engine = engine;
        this.directory = directory;
    }

    /** See {@link PebbleServer.Builder#start()} for what is thrown. */
    static PebbleProcesses launch(PebbleSettings settings, String pebbleImage, String challTestSrvImage,
            ContainerEngine engine) {
        Path directory = WorkDirectories.create("autocert4j-pebble-", "Pebble");
        try {
            TlsMaterial tls = TlsMaterial.generate();
            tls.write(directory.resolve("cert.pem"), directory.resolve("key.pem"));
            return new ContainerPebbleLauncher(settings, pebbleImage, challTestSrvImage, engine, directory)
                    .startRetryingTakenPorts(tls);
        } catch (RuntimeException e) {
            WorkDirectories.deleteRecursively(directory);
            throw e;
        }
    }

    /** The image to use: the one set on the builder, else the variable's, else the default. */
    static String image(String configured, String variable, String fallback) {
        if (configured != null) {
            return configured;
        }
        return variable != null && !variable.isBlank() ? variable.strip() : fallback;
    }

    private PebbleProcesses startRetryingTakenPorts(TlsMaterial tls) {
        for (int attempt = 1; ; attempt++) {
            PebblePorts ports = PebblePorts.free();
            List<ContainerEngine.RunningContainer> started = new ArrayList<>();
            try {
                ContainerEngine.RunningContainer challTestSrv = start(challTestSrvSpec(ports), started,
                        ports.challTestSrvManagement(), ports.dns());
                ContainerEngine.RunningContainer pebble = start(pebbleSpec(ports), started,
                        ports.acme(), ports.management());
                return new PebbleProcesses(directory, tls, ports, challTestSrv::close, pebble::close, LOG_SETTLE);
            } catch (RuntimeException e) {
                Collections.reverse(started);
                started.forEach(ContainerEngine.RunningContainer::close);
                String logs = ChildProcess.readLog(directory.resolve(PebbleProcesses.PEBBLE_LOG))
                        + ChildProcess.readLog(directory.resolve(PebbleProcesses.CHALLTESTSRV_LOG));
                if (!logs.contains("address already in use") || attempt == START_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("A port was taken while Pebble's containers started; retrying with other ports");
            }
        }
    }

    private ContainerEngine.RunningContainer start(ContainerSpec spec, List<ContainerEngine.RunningContainer> started,
            int... ports) {
        WorkDirectories.deleteIfExists(spec.logFile());
        ContainerEngine.RunningContainer container = engine.start(spec);
        started.add(container);
        awaitPorts(spec, ports);
        return container;
    }

    private ContainerSpec challTestSrvSpec(PebblePorts ports) {
        return new ContainerSpec("pebble-challtestsrv", challTestSrvImage, ports.challTestSrvArguments(), Map.of(), Map.of(),
                CHALLTESTSRV_READY, settings.startTimeout(),
                directory.resolve(PebbleProcesses.CHALLTESTSRV_LOG));
    }

    private ContainerSpec pebbleSpec(PebblePorts ports) {
        Path configFile = directory.resolve("pebble-config.json");
        try {
            Files.writeString(configFile, settings.config(IN_CONTAINER, ports).toJson(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (String name : List.of("pebble-config.json", "cert.pem", "key.pem")) {
            files.put(IN_CONTAINER.resolve(name).toString(), directory.resolve(name));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        // Null values remove inherited variables, which a container does not inherit anyway.
        settings.environment().forEach((name, value) -> {
            if (value != null) {
                environment.put(name, value);
            }
        });
        return new ContainerSpec("pebble", pebbleImage, List.of(
                "-config", IN_CONTAINER.resolve("pebble-config.json").toString(),
                "-dnsserver", settings.pebbleDnsServer(ports.dns())), environment, files, PEBBLE_READY,
                settings.startTimeout(), directory.resolve(PebbleProcesses.PEBBLE_LOG));
    }

    /** Waits until every port accepts on 127.0.0.1: the ready line comes just before the listen. */
    private static void awaitPorts(ContainerSpec spec, int... ports) {
        for (int port : ports) {
            Poll.until(spec.startTimeout(), () -> LocalPorts.accepts(port), () -> spec.name()
                    + " printed that it is ready but port " + port + " did not answer within " + spec.startTimeout()
                    + "; its log ends with:\n" + ChildProcess.readLog(spec.logFile()));
        }
    }
}
