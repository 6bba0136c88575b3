package dev.autocert4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.PebbleExtension;
import dev.autocert4j.testing.PebbleMode;
import dev.autocert4j.testing.PebbleServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "Pebble in your own tests": a user's JUnit 5 test with the extension. */
final class PebbleInYourTests {

    // tag::pebble-test[]
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().build();   // local pebble, else Docker, else skipped

    @Test
    void myServiceGetsACertificate(PebbleServer server) throws Exception {
        try (CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(server.directoryUrl())
                        .trustedCertificates(server.tlsTrustAnchor()).email("ops@example.test").build())
                .solver(Http01Solver.builder().standalone("127.0.0.1", server.httpPort()).build())
                .store(new InMemoryCertificateStore()).build()) {
            StoredCertificate cert = manager.obtain(Certificate.builder("www").dnsNames("www.example.test")
                    .issuerRef(IssuerRef.clusterIssuer("pebble")).build());
            assertThat(cert.leaf().getIssuerX500Principal().getName()).contains("Pebble");
        }
    }
    // end::pebble-test[]

    static PebbleExtension inContainers() {
        // tag::pebble-containers[]
        return PebbleExtension.builder()
                .mode(PebbleMode.TESTCONTAINERS)          // or AUTOCERT4J_PEBBLE=testcontainers
                .images("ghcr.io/letsencrypt/pebble:2.6.0", "ghcr.io/letsencrypt/pebble-challtestsrv:2.6.0")
                .build();
        // end::pebble-containers[]
    }
}
