package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ACME client's HTTP responses are handled where they arrive, without a hand-off to the JDK
 * HTTP client's worker threads (a context switch per step of every request; README "Performance").
 */
class AcmeClientThreadsIT {
    @Test
    void concurrentIssuanceStartsNoHttpClientWorkerThreads() throws Exception {
        try (PebbleServer pebble = PebbleServer.builder().start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            CertificateManager manager = CertificateManager.builder()
                    .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                            .trustedCertificates(pebble.tlsTrustAnchor()).build())
                    .solver(http01)
                    .store(new InMemoryCertificateStore())
                    .build();
            Set<String> workersBefore = httpClientWorkers();

            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<StoredCertificate>> issued = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String name = "threads-" + i;
                    issued.add(pool.submit(() -> manager.obtain(Certificate.builder(name).dnsNames(name + ".example.test")
                            .issuerRef(IssuerRef.clusterIssuer("pebble")).privateKey(PrivateKeySpec.ecdsa(256)).build())));
                }
                for (Future<StoredCertificate> f : issued) {
                    assertThat(f.get().leaf().getSubjectAlternativeNames()).isNotEmpty();
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(httpClientWorkers()).as("HttpClient worker threads started while issuing")
                    .containsExactlyInAnyOrderElementsOf(workersBefore);
        }
    }

    private static Set<String> httpClientWorkers() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.matches("HttpClient-\\d+-Worker-\\d+")).collect(Collectors.toSet());
    }
}
