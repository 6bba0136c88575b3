package dev.autocert4j.testing;

import dev.autocert4j.testing.internal.LocalPorts;
import java.util.List;

/**
 * The six ports on 127.0.0.1 one {@link PebbleServer} uses.
 *
 * @param acme Pebble's ACME directory
 * @param management Pebble's management interface
 * @param dns pebble-challtestsrv's DNS server (UDP and TCP)
 * @param challTestSrvManagement pebble-challtestsrv's management API
 * @param http where Pebble's VA connects for HTTP-01
 * @param tls where Pebble's VA connects for TLS-ALPN-01
 */
record PebblePorts(int acme, int management, int dns, int challTestSrvManagement, int http, int tls) {

    /** Six ports free right now; another process may still take one (the launcher retries). */
    static PebblePorts free() {
        List<Integer> ports = LocalPorts.free(6);
        return new PebblePorts(ports.get(0), ports.get(1), ports.get(2), ports.get(3), ports.get(4), ports.get(5));
    }

    /**
     * @return pebble-challtestsrv's flags, for a process or a container alike: DNS and management on 127.0.0.1 at
     *     these ports, its own HTTP-01, HTTPS-01 and TLS-ALPN-01 servers off (the test's solver answers), every
     *     name resolving to 127.0.0.1
     */
    List<String> challTestSrvArguments() {
        return List.of(
                "-dns01", "127.0.0.1:" + dns,
                "-management", "127.0.0.1:" + challTestSrvManagement,
                "-http01", "",
                "-https01", "",
                "-tlsalpn01", "",
                "-defaultIPv4", "127.0.0.1",
                "-defaultIPv6", "");
    }
}
