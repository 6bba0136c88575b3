package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three replicas of an application, each with its own API client, Secret store and Lease lock
 * provider (its own holder identity), share one API server and ask Pebble for the same
 * certificate at the same moment: one order, and all three get the same certificate.
 */
class LeaseCoordinatedReplicasIT {
    private static final int REPLICAS = 3;

    @Test
    void threeReplicasWithOwnLeaseProvidersPlaceExactlyOneOrder() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi();
                PebbleServer pebble = PebbleServer.builder().start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            List<KubernetesClient> clients = new ArrayList<>();
            List<KubernetesLeaseLockProvider> locks = new ArrayList<>();
            List<CertificateManager> replicas = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(REPLICAS);
            try {
                for (int r = 0; r < REPLICAS; r++) {
                    KubernetesClient client = api.newClient();
                    clients.add(client);
                    KubernetesLeaseLockProvider provider = KubernetesLeaseLockProvider.builder(client)
                            .namespace("autocert4j").holderIdentity("replica-" + r).build();
                    locks.add(provider);
                    replicas.add(CertificateManager.builder()
                            .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                                    .trustedCertificates(pebble.tlsTrustAnchor()).build())
                            .solver(http01)
                            .store(KubernetesSecretStore.of(client))
                            .lockProvider(provider)
                            .build());
                }
                Certificate spec = Certificate.builder("www").namespace("web").secretName("www-tls")
                        .dnsNames("www.example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
                int ordersBefore = pebble.orderCount();

                CountDownLatch start = new CountDownLatch(1);
                List<Future<StoredCertificate>> results = new ArrayList<>();
                for (CertificateManager replica : replicas) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return replica.obtain(spec);
                    }));
                }
                start.countDown();
                List<BigInteger> serials = new ArrayList<>();
                for (Future<StoredCertificate> result : results) {
                    serials.add(result.get(2, TimeUnit.MINUTES).leaf().getSerialNumber());
                }

                assertThat(pebble.orderCount() - ordersBefore).as("orders at Pebble").isEqualTo(1);
                assertThat(serials).hasSize(REPLICAS).containsOnly(serials.get(0));
                assertThat(api.inspector().secrets().inNamespace("web").withName("www-tls").get().getData())
                        .containsKeys("tls.crt", "tls.key");
                // The certificate's Lease was taken by each replica in turn (two hand-overs), and released.
                assertThat(api.inspector().leases().inNamespace("autocert4j").list().getItems())
                        .filteredOn(l -> "certificate/web/www".equals(
                                l.getMetadata().getAnnotations().get(KubernetesLeaseLockProvider.LOCK_NAME_ANNOTATION)))
                        .singleElement()
                        .satisfies(l -> {
                            assertThat(l.getSpec().getHolderIdentity()).isNull();
                            assertThat(l.getSpec().getLeaseTransitions()).isEqualTo(REPLICAS - 1);
                        });
            } finally {
                pool.shutdownNow();
                locks.forEach(KubernetesLeaseLockProvider::close);
                clients.forEach(KubernetesClient::close);
            }
        }
    }
}
