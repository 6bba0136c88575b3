package dev.autocert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server examples' {@code main} methods as the README runs them (arguments: port and seconds to run): each
 * starts its own Pebble, serves {@code www.example.test} on 127.0.0.1, and prints a {@code curl} command that,
 * run as printed, gets the example's answer over HTTPS verified against the printed root.
 */
class ExampleMainsIT {
    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void theMainPrintsACurlCommandThatGetsTheAnswer(ServerKind kind) throws Exception {
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
                switch (kind) {
                    case JDK_HTTPS_SERVER -> JdkHttpsServerExample.main(new String[] {"0", "20"});
                    case JETTY -> JettyExample.main(new String[] {"0", "20"});
                    case NETTY -> NettyExample.main(new String[] {"0", "20"});
                }
            } catch (Exception e) {
                e.printStackTrace(original);
            } finally {
                curlLine.complete(null);
            }
        }, "example-main");
        String curlOutput;
        try {
            main.start();
            String line = curlLine.get(60, TimeUnit.SECONDS);
            assertThat(line).as("the curl line in: " + printed).isNotNull();
            List<String> command = List.of(line.substring("Try: ".length()).split(" "));
            assertThat(command).startsWith("curl", "--resolve");
            // The README's promise: the line works as soon as it is printed (the example obtains first), so one try.
            Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
            curlOutput = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            main.join(Duration.ofSeconds(60).toMillis());
        } finally {
            System.setOut(original);
            original.print(printed.toString(StandardCharsets.UTF_8));
        }

        assertThat(curlOutput).startsWith("Hello over HTTPS from " + kind.greetingName + "; certificate serial ");
        // The example prints the manager's events as they happen (each issuance and renewal): the certificate curl
        // was served is the one whose issuance it printed.
        String served = curlOutput.substring(curlOutput.lastIndexOf(' ') + 1).strip();
        assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                .anyMatch(line -> line.contains(" Issued: Issued by pebble, serial " + served + ","));
        assertThat(main.isAlive()).as("the main returned after the seconds given").isFalse();
    }
}
