package dev.autocert4j.lock.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.ReadmeFigures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Lease defaults as the README states them ("renews it every sixth of the lease duration (60 s by default)"),
 * read from the README's sentence and compared with a provider built without a lease duration.
 */
class LeaseReadmeDefaultsTest {
    private static final Map<String, Integer> FRACTIONS = Map.of("half", 2, "third", 3, "quarter", 4, "fourth", 4, "fifth", 5, "sixth", 6);

    @Test
    void aProviderWithoutSettingsHoldsLeasesAndRenewsThemAsTheReadmeSays() throws Exception {
        String[] readme = ReadmeFigures.find("The holder renews it every (\\w+) of the lease duration \\((\\d+) s by default\\)");
        int fraction = FRACTIONS.get(readme[0]);
        Duration documentedLease = Duration.ofSeconds(Long.parseLong(readme[1]));
        try (KubernetesMockApi api = new KubernetesMockApi();
                KubernetesLeaseLockProvider provider = KubernetesLeaseLockProvider.builder(api.client()).namespace("ns")
                        .holderIdentity("replica-1").build()) {

            assertThat(provider.leaseDuration()).isEqualTo(documentedLease);
            assertThat(KubernetesLeaseLockProvider.renewalPeriod(provider.leaseDuration()))
                    .isEqualTo(documentedLease.dividedBy(fraction));
        }
    }

    @Test
    void theHeldLeasesOfAProviderAreRenewedFromOneDaemonThread() throws Exception {
        int threads = ReadmeFigures.number(ReadmeFigures.figure("\\(\\d+ s by default\\) from (\\w+) daemon thread"));
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (KubernetesMockApi api = new KubernetesMockApi();
                KubernetesLeaseLockProvider provider = KubernetesLeaseLockProvider.builder(api.client()).namespace("ns")
                        .holderIdentity("replica-1").leaseDuration(Duration.ofSeconds(15)).build()) {
            List<LockProvider.Lock> locks = new ArrayList<>();
            for (String name : List.of("shop/web", "shop/api", "blog/www")) {
                locks.add(provider.acquire(name, Duration.ofSeconds(10)));
            }
            Map<String, String> acquired = versions(api);
            assertThat(acquired).hasSize(3);

            Poll.until(Duration.ofSeconds(60), () -> versions(api).entrySet().stream()
                    .allMatch(e -> !e.getValue().equals(acquired.get(e.getKey()))), () -> "not all Leases were renewed: " + versions(api));

            List<Thread> renewers = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .filter(t -> t.getName().contains("lease")).toList();
            assertThat(renewers).as("renewal threads for three held Leases").hasSize(threads)
                    .allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName() + " is a daemon").isTrue());
            for (LockProvider.Lock lock : locks) {
                lock.close();
            }
        }
    }

    /** Each Lease's name and resourceVersion, which every renewal changes. */
    private static Map<String, String> versions(KubernetesMockApi api) {
        return api.inspector().leases().inNamespace("ns").list().getItems().stream()
                .collect(Collectors.toMap(l -> l.getMetadata().getName(), l -> l.getMetadata().getResourceVersion()));
    }
}
