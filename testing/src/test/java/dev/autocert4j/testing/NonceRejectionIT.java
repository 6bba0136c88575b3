package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.internal.PebbleHttp01;
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
        try (PebbleHttp01 peers = PebbleHttp01.start(PebbleServer.builder().nonceRejectPercent(rejectPercent))) {
            PebbleServer pebble = peers.pebble();
            CertificateManager manager = peers.manager().build();

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
