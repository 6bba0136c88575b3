package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** PebbleServer.Builder#dnsServer: which DNS server Pebble's VA is pointed at. */
class PebbleServerDnsServerTest {
    @Test
    void pointsPebbleAtChallTestSrvUnlessAnotherServerIsGiven() {
        assertThat(PebbleServer.builder().settings().pebbleDnsServer(5300)).isEqualTo("127.0.0.1:5300");
        assertThat(PebbleServer.builder().dnsServer(new InetSocketAddress("127.0.0.1", 5353)).settings().pebbleDnsServer(5300))
                .isEqualTo("127.0.0.1:5353");
        assertThat(PebbleServer.builder().dnsServer(new InetSocketAddress("::1", 5353)).settings().pebbleDnsServer(5300))
                .isEqualTo("[0:0:0:0:0:0:0:1]:5353");
    }

    @Test
    void refusesTheDnsServerTwiceOrUnresolved() {
        PebbleServer.Builder b = PebbleServer.builder().dnsServer(new InetSocketAddress("127.0.0.1", 5353));

        assertThatThrownBy(() -> b.dnsServer(new InetSocketAddress("127.0.0.1", 5354))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PebbleServer.builder().dnsServer(InetSocketAddress.createUnresolved("ns.example", 53)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
