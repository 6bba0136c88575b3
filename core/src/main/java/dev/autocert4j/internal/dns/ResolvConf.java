package dev.autocert4j.internal.dns;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.xbill.DNS.config.ResolvConfResolverConfigProvider;

/**
 * The system's DNS servers, read from a resolv.conf file ({@code nameserver} lines, port 53) each time
 * they are asked for: no JVM property (dnsjava's {@code dns.server}) and no copy cached for the life of the
 * JVM, unlike dnsjava's {@code ResolverConfig}. Thread-safe.
 */
public final class ResolvConf {
    /** Where Unix-like systems keep their DNS servers. */
    public static final Path SYSTEM_FILE = Path.of("/etc/resolv.conf");

    /** dnsjava's parser of the resolv.conf format, given a file of our choosing. */
    private static final class Parser extends ResolvConfResolverConfigProvider {
        List<InetSocketAddress> read(InputStream in) throws IOException {
            parseResolvConf(in);
            return servers();
        }
    }

    private ResolvConf() {
    }

    /**
     * @param file a resolv.conf file
     * @param fix how to set resolvers instead, for the message
     * @return its name servers, in the order the file lists them
     * @throws IllegalStateException when the file is missing or unreadable, or lists no name server
     */
    public static List<InetSocketAddress> servers(Path file, String fix) {
        List<InetSocketAddress> servers;
        try (InputStream in = Files.newInputStream(file)) {
            servers = new Parser().read(in);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("No DNS servers are configured on this system: " + file
                    + " does not exist; set them with " + fix, e);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the DNS servers from " + file + " (" + e.getMessage()
                    + "): set them with " + fix, e);
        }
        if (servers.isEmpty()) {
            throw new IllegalStateException("No DNS servers are configured on this system (" + file
                    + " has no nameserver line): set them with " + fix);
        }
        return List.copyOf(servers);
    }
}
