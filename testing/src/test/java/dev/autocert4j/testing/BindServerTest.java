package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** BindServer's builder and generated zone files; a running named is exercised by Dns01IT. */
class BindServerTest {
    @Test
    void writesAZoneWithSoaNsTheNameserversAddressAndTheExtraRecords() {
        String zone = BindServer.Builder.zoneFile("example.test", List.of("www A 127.0.0.1"));

        assertThat(zone).contains("$ORIGIN example.test.", "@ IN SOA ns1.example.test. hostmaster.example.test.",
                "@ IN NS ns1.example.test.", "ns1 IN A 127.0.0.1", "www A 127.0.0.1");
    }

    @Test
    void refusesAZoneTwiceAnInvalidZoneAndStartingWithoutZones() {
        BindServer.Builder b = BindServer.builder().zone("example.test");

        assertThatThrownBy(() -> b.zone("Example.TEST.")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BindServer.builder().zone("bad zone")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BindServer.builder().start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("zone");
    }
}
