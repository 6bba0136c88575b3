package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChallTestSrvControlTest {
    @Test
    void givesHostNamesExactlyOneTrailingDot() {
        assertThat(ChallTestSrvControl.fqdn("Example.TEST")).isEqualTo("example.test.");
        assertThat(ChallTestSrvControl.fqdn("_acme-challenge.example.test.")).isEqualTo("_acme-challenge.example.test.");
        assertThatThrownBy(() -> ChallTestSrvControl.fqdn("a..b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChallTestSrvControl.fqdn(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChallTestSrvControl.fqdn(null)).isInstanceOf(NullPointerException.class).hasMessage("host");
    }
}
