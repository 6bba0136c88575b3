package dev.autocert4j.testing;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.internal.CrashPoint;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * The child JVM of {@link CrashIT}: renews a stored certificate over DNS-01 and stops dead at one
 * stage, until the test kills it: around the provider's create call (a wrapping provider blocks), or
 * after an event (the manager's listeners run on the issuing thread, so a listener that never returns
 * freezes the order exactly there); see {@link CrashPoint}. Stage {@code STORE} instead saves the
 * stored certificate over and over, so that the kill lands in the middle of a save.
 *
 * <p>Arguments: stage (a {@link CrashPoint.Instant} name or {@code STORE}), certificate name,
 * store directory, ACME directory URL, PEM file of Pebble's TLS certificate, BIND port; the TSIG
 * secret comes in the environment variable {@code AUTOCERT4J_TEST_TSIG}.
 */
final class CrashChild {
    private CrashChild() {
    }

    static Certificate certificate(String name) {
        return Certificate.builder(name).dnsNames(name + ".example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
    }

    /** @param args see the class description */
    public static void main(String[] args) throws Exception {
        String stage = args[0];
        Certificate spec = certificate(args[1]);
        FileCertificateStore store = FileCertificateStore.of(Path.of(args[2]));
        if (stage.equals("STORE")) {
            CrashPoint.saveOverAndOver(store, spec);
        }
        CrashPoint.Instant instant = CrashPoint.Instant.valueOf(stage);
        InetSocketAddress bind = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[5]));
        X509Certificate anchor = CrashPoint.trustAnchor(Path.of(args[4]));
        CertificateManager manager = CertificateManager.builder()
                // Its own ACME account: Pebble reuses a valid authorization of the same account for
                // 1 % of orders even at PEBBLE_AUTHZREUSE=0 (wfe.go: a new one only if rand.Intn(100) > percent),
                // and then no challenge is presented and the instant is never reached.
                .issuer(AcmeIssuer.builder("pebble").directory(URI.create(args[3])).trustedCertificates(anchor)
                        .privateKeySecretRef("crash-child-account-key").build())
                .solver(Dns01Solver.builder()
                        .provider(CrashPoint.provider(Dns01IT.rfc2136(bind, System.getenv("AUTOCERT4J_TEST_TSIG")), instant))
                        .resolvers(bind).nameserverPort(bind.getPort()).build())
                .store(store)
                .listener(CrashPoint.listener(instant))
                .build();
        manager.renew(spec);
        System.err.println("renewed: the test expected to kill this process first");
        System.exit(3);
    }
}
