package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With Pebble rejecting 30% or 50% of nonces (PEBBLE_WFE_NONCEREJECT), every certificate is still issued. */
class NonceRejectionIT {
    @Test
    void tenCertificatesAreIssuedWithThirtyPercentOfNoncesRejected() throws Exception {
        issueAll(30, 10);
    }

    @Test
    void fiftyCertificatesAreIssuedWithHalfOfAllNoncesRejected() throws Exception {
        issueAll(50, 50);
    }

    private static void issueAll(int rejectPercent, int count) throws Exception {
        try (PebbleServer pebble = PebbleServer.builder().nonceRejectPercent(rejectPercent).start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            CertificateManager manager = CertificateManager.builder()
                    .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                            .trustedCertificates(pebble.tlsTrustAnchor()).build())
                    .solver(http01)
                    .store(new InMemoryCertificateStore())
                    .build();

            List<StoredCertificate> issued = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                issued.add(manager.obtain(Certificate.builder("n" + i).dnsNames("n" + i + ".example.test")
                        .issuerRef(IssuerRef.clusterIssuer("pebble")).build()));
            }

            assertThat(issued).hasSize(count);
            for (StoredCertificate s : issued) {
                Chains.assertChainsUpTo(s.chain(), pebble.rootCertificate());
            }
            assertThat(pebble.log()).as("Pebble did reject nonces").containsIgnoringCase("nonce");
        }
    }
}
