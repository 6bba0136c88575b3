package dev.autocert4j.lock.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.TestCertificates;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three replicas whose wall clocks are minutes apart share one API server and obtain the same 20
 * certificates at once: every certificate is ordered exactly once, and all replicas get it.
 */
class SkewedClockReplicasTest {
    private static final List<Duration> SKEWS = List.of(Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(-7));
    private static final int CERTIFICATES = 20;

    @Test
    void threeReplicasWithClocksMinutesApartOrderTwentyCertificatesExactlyOnceEach() throws Exception {
        CountingIssuer issuer = new CountingIssuer(Duration.ofMillis(300));
        List<KubernetesClient> clients = new ArrayList<>();
        List<KubernetesLeaseLockProvider> locks = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            List<CertificateManager> replicas = new ArrayList<>();
            for (int r = 0; r < SKEWS.size(); r++) {
                KubernetesClient client = api.newClient();
                clients.add(client);
                KubernetesLeaseLockProvider provider = KubernetesLeaseLockProvider.builder(client).namespace("autocert4j")
                        .holderIdentity("replica-" + r).clock(Clock.offset(Clock.systemUTC(), SKEWS.get(r))).build();
                locks.add(provider);
                replicas.add(CertificateManager.builder().issuer(issuer).store(KubernetesSecretStore.of(client))
                        .lockProvider(provider).build());
            }
            CountDownLatch start = new CountDownLatch(1);
            Map<String, List<Future<BigInteger>>> serials = new ConcurrentHashMap<>();
            for (int c = 0; c < CERTIFICATES; c++) {
                Certificate cert = TestCertificates.certificate("web", "site-" + c, "site-" + c + ".example.test");
                for (CertificateManager replica : replicas) {
                    serials.computeIfAbsent(cert.name(), n -> new ArrayList<>()).add(pool.submit(() -> {
                        start.await();
                        return replica.obtain(cert).leaf().getSerialNumber();
                    }));
                }
            }
            start.countDown();
            for (List<Future<BigInteger>> perCertificate : serials.values()) {
                List<BigInteger> got = new ArrayList<>();
                for (Future<BigInteger> serial : perCertificate) {
                    got.add(serial.get(2, TimeUnit.MINUTES));
                }
                assertThat(got).as("serials seen by the three replicas").hasSize(SKEWS.size()).containsOnly(got.get(0));
            }

            assertThat(issuer.orders).as("orders").hasValue(CERTIFICATES);
        } finally {
            pool.shutdownNow();
            locks.forEach(KubernetesLeaseLockProvider::close);
            clients.forEach(KubernetesClient::close);
        }
    }
}
