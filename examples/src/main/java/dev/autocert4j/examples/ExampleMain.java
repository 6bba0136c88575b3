package dev.autocert4j.examples;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.Pem;
import dev.autocert4j.testing.PebbleServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the server examples' {@code main} methods share: a local Pebble CA that issues certificates
 * valid for one minute (so a renewal shows within a minute), the HTTP-01 standalone responder, a
 * manager keeping {@code www.example.test} renewed, and the server under test on 127.0.0.1.
 * Renewals are printed as they happen; the server is never restarted.
 */
final class ExampleMain {
    /** The name the examples serve. */
    static final String NAME = "www.example.test";
    private static final Duration VALIDITY = Duration.ofSeconds(60);

    /** Starts a server with a manager's certificates: one of the examples' {@code start} methods. */
    @FunctionalInterface
    interface Starter {
        ExampleServer start(CertificateManager manager, InetSocketAddress address) throws Exception;
    }

    private ExampleMain() {
    }

    static void run(String serverName, Starter starter, String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8443;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        try (PebbleServer pebble = PebbleServer.builder().certificateValidity(VALIDITY).start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            http01.start();
            Path root = Files.createTempFile("pebble-root-", ".pem");
            Files.writeString(root, Pem.encodeChain(List.of(pebble.rootCertificate())), StandardCharsets.US_ASCII);
            try (CertificateManager manager = CertificateManager.builder()
                    .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                            .trustedCertificates(pebble.tlsTrustAnchor()).build())
                    .solver(http01)
                    .store(new InMemoryCertificateStore())
                    .defaultServerName(NAME) // a client without SNI (curl to an IP) gets this, not a failed handshake
                    .listener(event -> System.out.println(event.at() + " " + event.type().reason() + ": " + event.message()))
                    .build()) {
                Certificate www = Certificate.builder("www").dnsNames(NAME)
                        .issuerRef(IssuerRef.clusterIssuer("pebble")).build();
                manager.manage(www);
                manager.start();
                manager.obtain(www); // the curl line below works as soon as it is printed
                try (ExampleServer server = starter.start(manager,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    int bound = server.address().getPort();
                    System.out.println("Serving https://" + NAME + ":" + bound + "/ with " + serverName
                            + "; certificates last " + VALIDITY.toSeconds() + " s and are renewed after about two thirds of that.");
                    System.out.println("Try: curl --resolve " + NAME + ":" + bound + ":127.0.0.1 --cacert " + root
                            + " https://" + NAME + ":" + bound + "/");
                    Thread.sleep(seconds == Long.MAX_VALUE ? Long.MAX_VALUE : seconds * 1000);
                }
            } finally {
                Files.deleteIfExists(root);
            }
        }
    }
}
