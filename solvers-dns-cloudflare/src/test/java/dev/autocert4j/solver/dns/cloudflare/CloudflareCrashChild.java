package dev.autocert4j.solver.dns.cloudflare;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.internal.CrashPoint;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The child JVM of {@link CloudflareCrashIT}: obtains a certificate over DNS-01 through the Cloudflare emulator
 * and stops dead at one {@link CrashPoint.Instant}, until the test kills it.
 *
 * <p>Arguments: instant, certificate name, store directory, ACME directory URL, PEM file of Pebble's TLS
 * certificate, emulator base URL, BIND port; the API token comes in the environment variable
 * {@code AUTOCERT4J_TEST_CF_TOKEN}, not on the command line.
 */
final class CloudflareCrashChild {
    private CloudflareCrashChild() {
    }

    static Certificate certificate(String name) {
        return Certificate.builder(name).dnsNames(name + ".example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
    }

    /** @param args see the class description */
    public static void main(String[] args) throws Exception {
        CrashPoint.Instant instant = CrashPoint.Instant.valueOf(args[0]);
        X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[4]))));
        InetSocketAddress bind = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[6]));
        CloudflareDnsProvider cloudflare = CloudflareDnsProvider.builder().baseUrl(URI.create(args[5]))
                .apiToken(System.getenv("AUTOCERT4J_TEST_CF_TOKEN")).build();
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(URI.create(args[3])).trustedCertificates(anchor).build())
                .solver(Dns01Solver.builder().provider(CrashPoint.provider(cloudflare, instant))
                        .resolvers(bind).nameserverPort(bind.getPort()).build())
                .store(FileCertificateStore.of(Path.of(args[2])))
                .listener(CrashPoint.listener(instant))
                .build();
        manager.obtain(certificate(args[1]));
        System.err.println("obtained: the test expected to kill this process first");
        System.exit(3);
    }
}
