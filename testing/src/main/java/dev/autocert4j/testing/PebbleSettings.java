package dev.autocert4j.testing;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link PebbleServer.Builder} was told, checked, rendered into Pebble's configuration
 * file, environment and command line. {@code null} knobs mean Pebble's own default.
 *
 * @param vaNoSleep whether the VA validates without its random sleep
 * @param nonceRejectPercent {@code PEBBLE_WFE_NONCEREJECT}, or {@code null}
 * @param authzReusePercent {@code PEBBLE_AUTHZREUSE}, or {@code null}
 * @param alternateRoots {@code PEBBLE_ALTERNATE_ROOTS}, or {@code null}
 * @param certificateValidity the validity of issued certificates, if set
 * @param startTimeout how long to wait for each process to answer
 * @param dnsServer the DNS server Pebble's VA asks instead of pebble-challtestsrv, if set
 * @param externalAccountKeys EAB key ids and their HMAC keys
 */
record PebbleSettings(
        boolean vaNoSleep,
        Integer nonceRejectPercent,
        Integer authzReusePercent,
        Integer alternateRoots,
        Optional<Duration> certificateValidity,
        Duration startTimeout,
        Optional<InetSocketAddress> dnsServer,
        Map<String, String> externalAccountKeys) {

    PebbleSettings {
        requireNonNull(certificateValidity, "certificateValidity");
        requireNonNull(startTimeout, "startTimeout");
        requireNonNull(dnsServer, "dnsServer");
        // LinkedHashMap, not Map.copyOf: the keys stay in the order they were added.
        externalAccountKeys = new LinkedHashMap<>(externalAccountKeys);
    }

    /** The {@code -dnsserver} argument: pebble-challtestsrv's DNS server unless another was set. */
    String pebbleDnsServer(int challTestSrvDnsPort) {
        if (dnsServer.isEmpty()) {
            return "127.0.0.1:" + challTestSrvDnsPort;
        }
        String host = dnsServer.get().getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + dnsServer.get().getPort();
    }

    /** Pebble's {@code -config} file for a server in {@code directory} on {@code ports}. */
    PebbleConfig config(Path directory, PebblePorts ports) {
        return new PebbleConfig(ports.acme(), ports.management(), directory.resolve("cert.pem"),
                directory.resolve("key.pem"), ports.http(), ports.tls(), certificateValidity, externalAccountKeys);
    }

    /** Pebble's environment: inherited {@code PEBBLE_*} knobs removed, ours set. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String name : System.getenv().keySet()) {
            if (name.startsWith("PEBBLE_")) {
                environment.put(name, null);
            }
        }
        if (vaNoSleep) {
            environment.put("PEBBLE_VA_NOSLEEP", "1");
        }
        if (nonceRejectPercent != null) {
            environment.put("PEBBLE_WFE_NONCEREJECT", nonceRejectPercent.toString());
        }
        if (authzReusePercent != null) {
            environment.put("PEBBLE_AUTHZREUSE", authzReusePercent.toString());
        }
        if (alternateRoots != null) {
            environment.put("PEBBLE_ALTERNATE_ROOTS", alternateRoots.toString());
        }
        return environment;
    }
}
