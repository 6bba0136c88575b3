package dev.autocert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: the demo obtains a certificate from a fresh Pebble, serves HTTPS with it, and does
 * so again on a second run over the same store, whose certificate chains to the first run's (gone) Pebble root.
 */
class DemoIT {
    @Test
    void servesHttpsOnTheFirstRunAndAgainOnASecondRunOverTheSameStore(@TempDir Path dir) throws Exception {
        String store = dir.resolve("autocert4j-demo").toString();

        String first = run(store);
        String second = run(store);

        assertThat(first).contains("HTTPS response: HTTP/1.1 200 OK", "Subject:  CN=demo.autocert4j.test")
                .doesNotContain("earlier Pebble run");
        assertThat(second).contains("came from an earlier Pebble run", "HTTPS response: HTTP/1.1 200 OK");
    }

    /** Runs the demo and returns what it printed. */
    private static String run(String store) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Demo.main(new String[] {store});
        } finally {
            System.setOut(original);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        return text;
    }
}
