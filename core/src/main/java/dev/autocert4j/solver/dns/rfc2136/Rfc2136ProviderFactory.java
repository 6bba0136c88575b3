package dev.autocert4j.solver.dns.rfc2136;

import dev.autocert4j.internal.x509.Names;
import dev.autocert4j.solver.dns.DnsProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;

/** Registers {@link Rfc2136DnsProvider} for {@link java.util.ServiceLoader} as {@code rfc2136}. */
public final class Rfc2136ProviderFactory implements DnsProvider.Factory {
    private static final Set<String> KNOWN = Set.of("nameserver", "tsigKeyName", "tsigAlgorithm", "tsigSecret");

    /** For ServiceLoader. */
    public Rfc2136ProviderFactory() {
    }

    @Override
    public String name() {
        return "rfc2136";
    }

    @Override
    public DnsProvider create(Map<String, String> config) {
        for (String key : config.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("rfc2136: unknown setting '" + key + "'; known: " + KNOWN);
            }
        }
        String server = config.get("nameserver");
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("rfc2136: the setting 'nameserver' (ip:port) is missing");
        }
        Rfc2136DnsProvider.Builder b = Rfc2136DnsProvider.builder().nameserver(parse(server));
        String keyName = config.get("tsigKeyName");
        String secret = config.get("tsigSecret");
        if ((keyName == null) != (secret == null)) {
            throw new IllegalArgumentException("rfc2136: set both 'tsigKeyName' and 'tsigSecret', or neither");
        }
        if (keyName != null) {
            b.tsigKey(keyName, config.getOrDefault("tsigAlgorithm", "hmac-sha256"), secret);
        }
        return b.build();
    }

    private static InetSocketAddress parse(String server) {
        String host = server.strip();
        String portText = "";
        if (host.startsWith("[") && host.indexOf(']') > 0) {
            int end = host.indexOf(']');
            portText = host.substring(end + 1).startsWith(":") ? host.substring(end + 2) : "";
            host = host.substring(1, end);
        } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            portText = host.substring(host.indexOf(':') + 1);
            host = host.substring(0, host.indexOf(':'));
        }
        int port = 53;
        if (!portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rfc2136: 'nameserver' port is not a number: " + server, e);
            }
        }
        if (!Names.looksLikeIpAddress(host)) {
            throw new IllegalArgumentException("rfc2136: 'nameserver' must be an IP address (host names are not resolved): " + server);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("rfc2136: 'nameserver' is not a valid address: " + server, e);
        }
    }
}
