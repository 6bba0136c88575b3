package dev.autocert4j.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Spring Boot example's {@code main} as the README runs it (arguments: port and seconds to run): it starts its
 * own Pebble, serves {@code www.example.test} on 127.0.0.1 with the starter's certificate, and prints a
 * {@code curl} command that, run as printed, gets the answer over HTTPS verified against the printed root.
 */
class SpringBootExampleIT {
    @Test
    void theMainPrintsACurlCommandThatGetsTheAnswerWithTheIssuedCertificate() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        CompletableFuture<String> curlLine = new CompletableFuture<>(); // null when the main ended without one
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                super.println(line);
                if (line != null && line.startsWith("Try: curl ")) {
                    curlLine.complete(line);
                }
            }
        });
        Thread main = new Thread(() -> {
            try {
                SpringBootExample.main(new String[] {"0", "20"});
            } catch (Exception e) {
                e.printStackTrace(original);
            } finally {
                curlLine.complete(null);
            }
        }, "example-main");
        String curlOutput;
        try {
            main.start();
            String line = curlLine.get(90, TimeUnit.SECONDS);
            assertThat(line).as("the curl line in: " + printed).isNotNull();
            List<String> command = List.of(line.substring("Try: ".length()).split(" "));
            assertThat(command).startsWith("curl", "--resolve");
            // Start-up waited for the first certificate: the line works as soon as it is printed, so one try.
            Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
            curlOutput = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            main.join(Duration.ofSeconds(60).toMillis());
        } finally {
            System.setOut(original);
            original.print(printed.toString(StandardCharsets.UTF_8));
        }

        assertThat(curlOutput).startsWith("Hello over HTTPS from Spring Boot; certificate serial ");
        // The certificate curl verified is the one whose issuance the application printed (a Spring event).
        String served = curlOutput.substring(curlOutput.lastIndexOf(' ') + 1).strip();
        assertThat(served).isNotEqualTo("none");
        assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                .anyMatch(l -> l.contains(" Issued: Issued by pebble, serial " + served + ","));
        assertThat(main.isAlive()).as("the main returned after the seconds given").isFalse();
    }
}
