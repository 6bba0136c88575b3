package dev.autocert4j.lock.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.ReadmeFigures;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Lease defaults as the README states them ("renews it every third of the lease duration (60 s by default)"),
 * read from the README's sentence and compared with a provider built without a lease duration.
 */
class LeaseReadmeDefaultsTest {
    private static final Map<String, Integer> FRACTIONS = Map.of("half", 2, "third", 3, "quarter", 4, "fourth", 4, "fifth", 5);

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
}
