package dev.autocert4j.examples.spring;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateListener;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.PebbleServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application whose HTTPS certificate comes from the starter: {@code application.yml} names an
 * ACME issuer, one certificate and {@code server.ssl.bundle=autocert4j}. The {@code main} starts a local Pebble
 * issuing one-minute certificates (so a renewal shows within a minute), runs the application against it on
 * 127.0.0.1, prints the certificate events as they happen and, once the server is up (start-up waits for the
 * first certificate), a {@code curl} command that works at once. Arguments: port (default 8443; 0 for any free
 * one) and seconds to run (default until Ctrl-C).
 */
@SpringBootApplication
@RestController
public class SpringBootExample {
    /** The name the example serves. */
    static final String NAME = "www.example.test";
    private static final Duration VALIDITY = Duration.ofSeconds(60);

    private final CertificateManager manager;

    /** @param manager the starter's certificate manager */
    public SpringBootExample(CertificateManager manager) {
        this.manager = manager;
    }

    /**
     * @return a greeting naming the serial of the certificate being served
     * @throws Exception when the store cannot be read
     */
    @GetMapping("/")
    public String hello() throws Exception {
        Certificate www = manager.managedCertificates().get(0);
        String serial = manager.store().load(www).map(StoredCertificate::leaf)
                .map(leaf -> leaf.getSerialNumber().toString(16)).orElse("none");
        return "Hello over HTTPS from Spring Boot; certificate serial " + serial + "\n";
    }

    /**
     * Prints each certificate event as it happens. A {@link CertificateListener} bean joins the starter's manager
     * and hears every event on the manager's thread, also those during start-up (before the application context
     * delivers application events to {@code @EventListener} methods).
     *
     * Static, because this class also needs the manager, which needs the listener.
     *
     * @return the listener
     */
    @Bean
    public static CertificateListener printEvents() {
        return event -> System.out.println(event.at() + " " + event.type().reason() + ": " + event.message());
    }

    /**
     * @param args port (default 8443) and seconds to run (default until Ctrl-C)
     * @throws Exception when Pebble or the application cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8443;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        Path work = Files.createTempDirectory("autocert4j-spring-boot-example-");
        // The store holds private keys: removed on Ctrl-C too, which runs shutdown hooks but no finally block.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(work), "delete-example-files"));
        try (PebbleServer pebble = PebbleServer.builder().certificateValidity(VALIDITY).start()) {
            Path tlsTrust = work.resolve("pebble-tls.pem");
            Files.writeString(tlsTrust, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())), StandardCharsets.US_ASCII);
            Path root = work.resolve("pebble-root.pem");
            Files.writeString(root, Pem.encodeChain(List.of(pebble.rootCertificate())), StandardCharsets.US_ASCII);
            Map<String, Object> local = Map.of(
                    "example.port", port,
                    "example.pebble.directory", pebble.directoryUrl().toString(),
                    "example.pebble.tls-trust", tlsTrust.toString(),
                    "example.pebble.http-port", pebble.httpPort(),
                    "example.store", work.resolve("certificates").toString());
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringBootExample.class)
                    .properties(local).run()) {
                String bound = context.getEnvironment().getProperty("local.server.port");
                System.out.println("Serving https://" + NAME + ":" + bound + "/ with Spring Boot; certificates last "
                        + VALIDITY.toSeconds() + " s and are renewed after about two thirds of that.");
                System.out.println("Try: curl --resolve " + NAME + ":" + bound + ":127.0.0.1 --cacert " + root
                        + " https://" + NAME + ":" + bound + "/");
                Thread.sleep(seconds == Long.MAX_VALUE ? Long.MAX_VALUE : seconds * 1000);
            }
        } finally {
            deleteQuietly(work);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete " + directory + ": " + e);
        }
    }
}
