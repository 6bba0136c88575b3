package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PebbleLogTest {
    @Test
    void countsTheLatestNumberPebbleLogged() {
        Pattern accounts = Pattern.compile("There are now (\\d+) accounts in memory");
        String log = "Pebble 2024/01/01 There are now 1 accounts in memory\n"
                + "Pebble 2024/01/01 There are now 12 accounts in memory\n"
                + "Pebble 2024/01/01 There are now 3 orders in the db\n";

        assertThat(PebbleLog.lastCount(log, accounts)).isEqualTo(12);
        assertThat(PebbleLog.lastCount("", accounts)).isZero();
    }
}
