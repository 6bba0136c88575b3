package dev.autocert4j.benchmarks;

import dev.autocert4j.testing.PebbleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Runs a local Pebble with the harness's settings for other ACME clients (lego, certbot) to be
 * measured against: prints {@code DIRECTORY=}, {@code CA_FILE=} (Pebble's TLS anchor, PEM) and
 * {@code HTTP_PORT=}, then serves until standard input closes; for each line it reads, it prints
 * {@code REQUESTS=} and the number of ACME requests Pebble answered so far.
 */
public final class PebbleMain {
    private PebbleMain() {
    }

    /**
     * @param args the file to write Pebble's TLS anchor to
     * @throws Exception when Pebble cannot start
     */
    public static void main(String[] args) throws Exception {
        Path caFile = Path.of(args.length > 0 ? args[0] : "pebble-ca.pem").toAbsolutePath();
        try (PebbleServer pebble = PebbleServer.builder().vaNoSleep(true).authzReuse(0).nonceRejectPercent(0).start()) {
            writePem(caFile, pebble.tlsTrustAnchor().getEncoded());
            System.out.println("DIRECTORY=" + pebble.directoryUrl());
            System.out.println("CA_FILE=" + caFile);
            System.out.println("HTTP_PORT=" + pebble.httpPort());
            System.out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) { // serve until the caller closes our standard input
                System.out.println("REQUESTS=" + pebble.requestCount());
                System.out.flush();
            }
        }
    }

    private static void writePem(Path file, byte[] der) throws IOException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
