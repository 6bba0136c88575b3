package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PebbleConfigTest {

    private static final String KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    private static PebbleConfig config(Optional<Duration> validity, Map<String, String> keys) {
        return new PebbleConfig(14000, 15000, Path.of("/tmp/p/cert.pem"), Path.of("/tmp/p/key.pem"),
                5002, 5001, validity, keys);
    }

    @Test
    void rendersPebblesConfigFileListeningOnLoopbackOnly() {
        assertThat(config(Optional.empty(), Map.of()).toJson()).isEqualTo("""
                {
                  "pebble": {
                    "listenAddress": "127.0.0.1:14000",
                    "managementListenAddress": "127.0.0.1:15000",
                    "certificate": "/tmp/p/cert.pem",
                    "privateKey": "/tmp/p/key.pem",
                    "httpPort": 5002,
                    "tlsPort": 5001,
                    "ocspResponderURL": "",
                    "externalAccountBindingRequired": false
                  }
                }
                """);
    }

    @Test
    void rendersValidityInSecondsAndRequiresEabWhenKeysAreGiven() {
        String json = config(Optional.of(Duration.ofHours(1)), Map.of("kid-2", KEY, "kid-1", KEY)).toJson();

        assertThat(json)
                .contains("\"certificateValidityPeriod\": 3600,")
                .contains("\"externalAccountMACKeys\": {\n      \"kid-1\": \"" + KEY + "\",\n      \"kid-2\": \"" + KEY + "\"\n    },")
                .contains("\"externalAccountBindingRequired\": true");
    }

    @Test
    void escapesStringsForJson() {
        assertThat(PebbleConfig.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void neverShowsMacKeysInToString() {
        assertThat(config(Optional.empty(), Map.of("kid-1", KEY)).toString())
                .contains("kid-1")
                .doesNotContain(KEY);
    }

    @Test
    void rejectsPortsOutsideTheValidRange() {
        assertThatThrownBy(() -> new PebbleConfig(0, 15000, Path.of("c"), Path.of("k"), 1, 2,
                Optional.empty(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listenPort");
    }
}
