package dev.autocert4j.examples;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.PebbleServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The README's first command: start a local Pebble CA, obtain a certificate for
 * {@code demo.autocert4j.test} over HTTP-01 with the standalone responder, store it under
 * {@code ./autocert4j-demo}, serve one HTTPS request with it from the JDK {@code HttpsServer}
 * (through the manager's SNI key manager, with the demo name as the default), and print what the
 * client saw.
 */
public final class Demo {
    private static final String NAME = "demo.autocert4j.test";

    private Demo() {
    }

    /**
     * @param args optional: the store directory (default {@code autocert4j-demo})
     * @throws Exception when anything fails; the demo is meant to stop loudly
     */
    public static void main(String[] args) throws Exception {
        Path storeDir = Path.of(args.length > 0 ? args[0] : "autocert4j-demo").toAbsolutePath();
        try (PebbleServer pebble = PebbleServer.builder().start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            CertificateManager manager = CertificateManager.builder()
                    .issuer(AcmeIssuer.builder("pebble")
                            .directory(pebble.directoryUrl())
                            .trustedCertificates(pebble.tlsTrustAnchor())
                            .email("demo@autocert4j.test")
                            .build())
                    .solver(http01)
                    .store(FileCertificateStore.of(storeDir))
                    .defaultServerName(NAME) // a client without SNI gets this certificate, not a failed handshake
                    .build();

            Certificate demo = Certificate.builder("demo")
                    .dnsNames(NAME)
                    .issuerRef(IssuerRef.clusterIssuer("pebble"))
                    .build();
            StoredCertificate stored = manager.obtain(demo);
            if (!issuedBy(stored, pebble.rootCertificate())) {
                // Each run starts a new Pebble with a new root: a certificate kept from an earlier run is valid
                // but chains to a CA that is gone, so no client of this run would trust it.
                System.out.println("The stored certificate came from an earlier Pebble run: ordering a new one");
                manager.renew(demo);
            }
            System.out.println("Stored under " + storeDir);

            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(manager.sslContext()));
            server.createContext("/", exchange -> {
                byte[] body = "hello over HTTPS\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            try {
                fetchAndPrint(server.getAddress().getPort(), pebble.rootCertificate());
            } finally {
                server.stop(0);
            }
        }
    }

    /** Whether the stored chain ends in a certificate signed by {@code root}. */
    private static boolean issuedBy(StoredCertificate stored, X509Certificate root) {
        List<X509Certificate> chain = stored.chain();
        try {
            chain.get(chain.size() - 1).verify(root.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /** Connects to 127.0.0.1 but verifies the certificate for the demo name, as a browser would. */
    private static void fetchAndPrint(int port, X509Certificate pebbleRoot) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("pebble-root", pebbleRoot);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
                SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, NAME, port, true)) {
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.startHandshake();
            X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];

            OutputStream out = tls.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + NAME + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();

            List<String> sans = leaf.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
            System.out.println("HTTPS response: " + status);
            System.out.println("Subject:  " + leaf.getSubjectX500Principal().getName());
            System.out.println("SANs:     " + sans);
            System.out.println("Issuer:   " + leaf.getIssuerX500Principal().getName());
            System.out.println("Expires:  " + leaf.getNotAfter().toInstant());
            System.out.println("Serial:   " + leaf.getSerialNumber().toString(16));
        }
    }
}
