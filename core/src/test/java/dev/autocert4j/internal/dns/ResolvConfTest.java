package dev.autocert4j.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ResolverConfig;

/** The README's "lookups go to the system's DNS servers from /etc/resolv.conf": read from the file, each time. */
class ResolvConfTest {
    private static final String FIX = "Dns01Solver.builder().resolvers(...)";

    @TempDir
    Path dir;

    @Test
    void readsTheNameserverLinesInOrderOnPort53AndNothingElse() throws Exception {
        Path file = Files.writeString(dir.resolve("resolv.conf"), """
                # nameserver 192.0.2.9
                ; nameserver 192.0.2.8
                search example.com
                options ndots:2 timeout:1
                nameserver 192.0.2.1
                nameserver 192.0.2.2
                """);

        assertThat(ResolvConf.servers(file, FIX)).containsExactly(
                new InetSocketAddress("192.0.2.1", 53), new InetSocketAddress("192.0.2.2", 53));
    }

    @Test
    void aChangedFileIsReadAgainNotRememberedFromBefore() throws Exception {
        Path file = Files.writeString(dir.resolve("resolv.conf"), "nameserver 192.0.2.1\n");
        assertThat(ResolvConf.servers(file, FIX)).containsExactly(new InetSocketAddress("192.0.2.1", 53));

        Files.writeString(file, "nameserver 192.0.2.3\n");

        assertThat(ResolvConf.servers(file, FIX)).containsExactly(new InetSocketAddress("192.0.2.3", 53));
    }

    @Test
    void aMissingFileOrOneWithoutNameserversSaysHowToSetResolvers() throws Exception {
        assertThatThrownBy(() -> ResolvConf.servers(dir.resolve("absent.conf"), FIX))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("absent.conf does not exist").hasMessageContaining(FIX);
        Path empty = Files.writeString(dir.resolve("resolv.conf"), "search example.com\n");
        assertThatThrownBy(() -> ResolvConf.servers(empty, FIX))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no nameserver line").hasMessageContaining(FIX);
    }

    @Test
    void theSystemResolversComeFromEtcResolvConfNotFromDnsjavasJvmProperty() {
        assumeTrue(Files.isReadable(ResolvConf.SYSTEM_FILE), "this machine has no /etc/resolv.conf");
        String before = System.getProperty("dns.server");
        System.setProperty("dns.server", "192.0.2.77");
        ResolverConfig.refresh(); // dnsjava's own configuration would now name 192.0.2.77
        try {
            assertThat(DnsLookups.systemResolvers(FIX))
                    .isEqualTo(ResolvConf.servers(ResolvConf.SYSTEM_FILE, FIX))
                    .doesNotContain(new InetSocketAddress("192.0.2.77", 53));
        } finally {
            if (before == null) {
                System.clearProperty("dns.server");
            } else {
                System.setProperty("dns.server", before);
            }
            ResolverConfig.refresh();
        }
    }
}
