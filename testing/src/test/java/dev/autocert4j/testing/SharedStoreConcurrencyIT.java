package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three managers ("replicas", each with its own issuer instance and store object) share one store
 * directory and all ask for the same 20 certificates at once: exactly 20 orders, and every
 * replica ends up with the same certificate for each name.
 */
class SharedStoreConcurrencyIT {
    private static final int REPLICAS = 3;
    private static final int CERTIFICATES = 20;

    @Test
    void threeManagersTimesTwentyCertificatesPlaceExactlyTwentyOrders(@TempDir Path dir) throws Exception {
        try (PebbleServer pebble = PebbleServer.builder().start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            List<CertificateEvent> events = new CopyOnWriteArrayList<>();
            List<CertificateManager> replicas = new ArrayList<>();
            for (int r = 0; r < REPLICAS; r++) {
                replicas.add(CertificateManager.builder()
                        .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                                .trustedCertificates(pebble.tlsTrustAnchor()).build())
                        .solver(http01)
                        .store(FileCertificateStore.of(dir))
                        .listener(events::add)
                        .build());
            }
            int ordersBefore = pebble.orderCount();

            ExecutorService pool = Executors.newFixedThreadPool(REPLICAS * 4);
            Map<String, List<Future<StoredCertificate>>> results = new HashMap<>();
            try {
                for (int c = 0; c < CERTIFICATES; c++) {
                    Certificate spec = Certificate.builder("c" + c).dnsNames("c" + c + ".example.test")
                            .issuerRef(IssuerRef.clusterIssuer("pebble")).build();
                    for (CertificateManager replica : replicas) {
                        results.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(pool.submit(() -> replica.obtain(spec)));
                    }
                }
                for (List<Future<StoredCertificate>> sameName : results.values()) {
                    StoredCertificate first = sameName.get(0).get();
                    for (Future<StoredCertificate> other : sameName) {
                        assertThat(other.get().leaf()).isEqualTo(first.leaf());
                    }
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(pebble.orderCount() - ordersBefore).as("orders at Pebble").isEqualTo(CERTIFICATES);
            assertThat(events.stream().filter(e -> e.type() == CertificateEvent.Type.ORDER_CREATED).count())
                    .as("OrderCreated events of all replicas").isEqualTo(CERTIFICATES);
            assertThat(pebble.accountCount()).as("one ACME account for all replicas").isEqualTo(1);
        }
    }
}
