package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Three replicas, each with its own API client and {@code KubernetesSecretStore}, built the way the
 * README's Kubernetes example builds them when {@code .lockProvider(...)} is left out: the manager
 * then locks with the store's {@code defaultLockProvider()}, Leases in the cluster resource
 * namespace under a fresh holder identity per store. No lock object is shared between the replicas
 * (each store makes its own provider), so only the Leases on the API server keep the three from
 * ordering each certificate three times.
 */
class DefaultLeaseReplicasIT {
    private static final int REPLICAS = 3;
    private static final List<Certificate> CERTIFICATES = IntStream.range(0, 3)
            .mapToObj(i -> Certificate.builder("app-" + i).namespace("web").secretName("app-" + i + "-tls")
                    .dnsNames("app-" + i + ".example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build())
            .toList();

    @Test
    void replicasOnTheStoresDefaultLeaseProviderPlaceExactlyOneOrderPerCertificate() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi();
                PebbleServer pebble = PebbleServer.builder().start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            List<KubernetesClient> clients = new ArrayList<>();
            List<KubernetesSecretStore> stores = new ArrayList<>();
            List<CertificateManager> replicas = new ArrayList<>();
            List<CertificateEvent> events = new CopyOnWriteArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(REPLICAS * CERTIFICATES.size());
            try {
                for (int r = 0; r < REPLICAS; r++) {
                    KubernetesClient client = api.newClient();
                    clients.add(client);
                    KubernetesSecretStore store = KubernetesSecretStore.of(client);
                    stores.add(store);
                    replicas.add(CertificateManager.builder()
                            .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                                    .trustedCertificates(pebble.tlsTrustAnchor()).build())
                            .solver(http01)
                            .store(store)
                            .listener(events::add)
                            .build());
                }
                int ordersBefore = pebble.orderCount();

                CountDownLatch start = new CountDownLatch(1);
                Map<String, List<Future<StoredCertificate>>> results = new HashMap<>();
                for (Certificate spec : CERTIFICATES) {
                    for (CertificateManager replica : replicas) {
                        results.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(pool.submit(() -> {
                            start.await();
                            return replica.obtain(spec);
                        }));
                    }
                }
                start.countDown();
                for (Certificate spec : CERTIFICATES) {
                    List<BigInteger> serials = new ArrayList<>();
                    for (Future<StoredCertificate> result : results.get(spec.name())) {
                        serials.add(result.get(3, TimeUnit.MINUTES).leaf().getSerialNumber());
                    }
                    assertThat(serials).as("serials the replicas returned for %s", spec.name())
                            .hasSize(REPLICAS).containsOnly(serials.get(0));
                }

                assertThat(pebble.orderCount() - ordersBefore).as("orders at Pebble").isEqualTo(CERTIFICATES.size());
                assertThat(events).filteredOn(e -> e.type() == CertificateEvent.Type.ORDER_CREATED)
                        .extracting(CertificateEvent::certificateId)
                        .containsExactlyInAnyOrderElementsOf(CERTIFICATES.stream().map(Certificate::id).toList());
                assertThat(stores.stream().map(KubernetesSecretStore::defaultLockProvider).distinct())
                        .as("one Lease provider per store, none shared").hasSize(REPLICAS);
                // The Leases are where the coordination happened: each certificate's Lease, in the cluster
                // resource namespace, was taken by every replica in turn and is released now.
                List<Lease> leases = api.inspector().leases().inNamespace(KubernetesSecretStore.DEFAULT_CLUSTER_RESOURCE_NAMESPACE).list().getItems();
                for (Certificate spec : CERTIFICATES) {
                    assertThat(leases).as("Lease of %s", spec.id())
                            .filteredOn(l -> ("certificate/" + spec.id()).equals(
                                    l.getMetadata().getAnnotations().get(KubernetesLeaseLockProvider.LOCK_NAME_ANNOTATION)))
                            .singleElement()
                            .satisfies(l -> {
                                assertThat(l.getSpec().getHolderIdentity()).isNull();
                                assertThat(l.getSpec().getLeaseTransitions()).isEqualTo(REPLICAS - 1);
                            });
                }
            } finally {
                pool.shutdownNow();
                for (KubernetesSecretStore store : stores) {
                    LockProvider provider = store.defaultLockProvider();
                    ((KubernetesLeaseLockProvider) provider).close();
                }
                clients.forEach(KubernetesClient::close);
            }
        }
    }
}
