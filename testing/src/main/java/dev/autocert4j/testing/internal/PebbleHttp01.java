package dev.autocert4j.testing.internal;

import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.testing.PebbleServer;

/**
 * A started Pebble with a standalone HTTP-01 responder on its validation port, and managers wired to them: the
 * set-up the benchmarks and the issuance tests share. Closing stops the responder, then Pebble. Not thread-safe.
 */
public final class PebbleHttp01 implements AutoCloseable {
    private final PebbleServer pebble;
    private final Http01Solver http01;

    private PebbleHttp01(PebbleServer pebble, Http01Solver http01) {
        this.pebble = pebble;
        this.http01 = http01;
    }

    /**
     * @param pebble the Pebble to start, with the caller's settings
     * @return Pebble, started, and the responder on 127.0.0.1 at its HTTP-01 port
     */
    public static PebbleHttp01 start(PebbleServer.Builder pebble) {
        PebbleServer server = pebble.start();
        try {
            return new PebbleHttp01(server, Http01Solver.builder().standalone("127.0.0.1", server.httpPort()).build());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** @return the running Pebble */
    public PebbleServer pebble() {
        return pebble;
    }

    /** @return a manager builder with {@link #issuerAndStore(PebbleServer)} and this responder as its solver */
    public CertificateManager.Builder manager() {
        return issuerAndStore(pebble).solver(http01);
    }

    /**
     * @param pebble a running Pebble
     * @return a manager builder with the issuer {@code pebble} (its directory, trusting its TLS certificate) and an
     *     in-memory store; the caller adds the solver
     */
    public static CertificateManager.Builder issuerAndStore(PebbleServer pebble) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .store(new InMemoryCertificateStore());
    }

    /** Stops the responder, then Pebble. */
    @Override
    public void close() {
        try {
            http01.close();
        } finally {
            pebble.close();
        }
    }
}
