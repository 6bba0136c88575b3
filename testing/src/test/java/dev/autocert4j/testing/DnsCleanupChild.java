package dev.autocert4j.testing;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.store.file.FileCertificateStore;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * The child JVM of {@link Dns01IT#aNewManagerRemovesTheRecordsOfAProcessThatWasKilled}: orders a
 * certificate over DNS-01 and hangs after presenting (a fixed propagation wait of an hour), until
 * the test kills it. Arguments: store directory, ACME directory URL, PEM file of Pebble's TLS
 * certificate, BIND port; the TSIG secret comes in the environment variable
 * {@code AUTOCERT4J_TEST_TSIG}, not on the command line.
 */
final class DnsCleanupChild {
    private DnsCleanupChild() {
    }

    /** @param args see the class description */
    public static void main(String[] args) throws Exception {
        X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[2]))));
        int bindPort = Integer.parseInt(args[3]);
        Dns01Solver solver = Dns01IT.solver(new InetSocketAddress("127.0.0.1", bindPort), System.getenv("AUTOCERT4J_TEST_TSIG"))
                .fixedPropagationWait(Duration.ofHours(1)).build();
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(URI.create(args[1])).trustedCertificates(anchor).build())
                .solver(solver).store(FileCertificateStore.of(Path.of(args[0]))).build();
        manager.obtain(Certificate.builder("crash").dnsNames("crash.example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build());
        System.err.println("obtained a certificate: the test expected to kill this process first");
        System.exit(3);
    }
}
