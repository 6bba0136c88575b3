package dev.autocert4j.lock.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;

import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.kubernetes.ApiRequest;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A holder keeps its Lease when the API server is slow to answer (a starved CPU, a busy server): a renewal is one
 * write over the holder's own last write, and the next one follows a sixth of the lease duration after it. This is
 * what lost the Leases of {@code Dns01CrashIT} under load: a renewal was a read and then a write, sent a third of
 * the lease duration after the previous round had ended.
 */
class SlowLeaseAnswersTest {
    private static final String LOCK = "certificate/default/www";

    private static boolean isLeaseWrite(ApiRequest request) {
        return request.resource().equals("leases") && request.verb().equals("update");
    }

    private static List<ApiRequest> leaseRequests(KubernetesMockApi api, int from) {
        List<ApiRequest> all = api.requests();
        return all.subList(from, all.size()).stream().filter(r -> r.resource().equals("leases")).toList();
    }

    @Test
    void aRenewalOfALeaseNobodyElseWroteIsOneUpdateWithoutARead() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi();
                KubernetesLeaseLockProvider provider = KubernetesLeaseLockProvider.builder(api.client()).namespace("locks")
                        .holderIdentity("replica-a").build();
                LockProvider.Lock lock = provider.acquire(LOCK, Duration.ZERO)) {
            int before = api.requests().size();
            provider.renewAll();
            assertThat(leaseRequests(api, before)).as("the requests of one renewal")
                    .containsExactly(new ApiRequest("update", "coordination.k8s.io", "leases", "locks"));

            // Someone else changed the Lease (not its holder): the write conflicts, the renewal reads and writes again.
            Lease current = api.inspector().leases().inNamespace("locks").withName(LeaseNames.leaseName(LOCK)).get();
            api.inspector().leases().inNamespace("locks").resource(new LeaseBuilder(current).editMetadata()
                    .addToLabels("team", "web").endMetadata().build()).update();
            int beforeConflict = api.requests().size();
            provider.renewAll();
            assertThat(leaseRequests(api, beforeConflict)).extracting(ApiRequest::verb).containsExactly("update", "get", "update");
            Lease renewed = api.inspector().leases().inNamespace("locks").withName(LeaseNames.leaseName(LOCK)).get();
            assertThat(renewed.getSpec().getHolderIdentity()).isEqualTo("replica-a");
            assertThat(renewed.getMetadata().getLabels()).containsEntry("team", "web");
            assertThat(lock.isHeld()).isTrue();
        }
    }

    @Test
    void aHolderWhoseLeaseRequestsAreAnsweredAQuarterOfTheLeaseDurationLateKeepsItsLock() throws Exception {
        Duration lease = Duration.ofSeconds(6);
        try (KubernetesMockApi api = new KubernetesMockApi();
                KubernetesLeaseLockProvider provider = KubernetesLeaseLockProvider.builder(api.client()).namespace("locks")
                        .holderIdentity("replica-a").leaseDuration(lease).build()) {
            // Every Lease request answered 1.5 s late: a read then a write a third of the lease after the previous
            // round would send the first renewal 5 s after the Lease was written, the renew deadline.
            api.answerLate(r -> r.resource().equals("leases"), lease.dividedBy(4));
            try (LockProvider.Lock lock = provider.acquire(LOCK, Duration.ofSeconds(30))) {
                Poll.until(Duration.ofSeconds(30), () -> api.requests().stream().filter(SlowLeaseAnswersTest::isLeaseWrite)
                        .count() >= 3 || !lock.isHeld(), () -> "fewer than 3 renewals in 30 s: " + api.requests());

                assertThat(lock.isHeld()).as("held after two renewals answered late").isTrue();
                assertThat(api.inspector().leases().inNamespace("locks").withName(LeaseNames.leaseName(LOCK)).get()
                        .getSpec().getHolderIdentity()).isEqualTo("replica-a");
            }
        }
    }

    @Test
    void aLockWhoseTakeWasAnsweredPastTheRenewDeadlineIsRenewedBeforeItIsHandedOut() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi();
                KubernetesLeaseLockProvider provider = KubernetesLeaseLockProvider.builder(api.client()).namespace("locks")
                        .holderIdentity("replica-a").leaseDuration(Duration.ofSeconds(3)).build()) {
            // The create answered 2.8 s late (a cold client, a starved event loop): past the 2.5-s renew deadline.
            api.answerLate(r -> r.resource().equals("leases") && r.verb().equals("create"), Duration.ofMillis(2800));
            int before = api.requests().size();
            try (LockProvider.Lock lock = provider.acquire(LOCK, Duration.ofSeconds(30))) {
                assertThat(lock.isHeld()).as("held when handed out").isTrue();
                assertThat(leaseRequests(api, before)).extracting(ApiRequest::verb).containsExactly("get", "create", "update");
            }
        }
    }

    @Test
    void aLockWhoseWritesAreAllAnsweredPastTheRenewDeadlineIsNotHandedOut() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi();
                KubernetesLeaseLockProvider provider = KubernetesLeaseLockProvider.builder(api.client()).namespace("locks")
                        .holderIdentity("replica-a").leaseDuration(Duration.ofSeconds(3)).build()) {
            api.answerLate(SlowLeaseAnswersTest::isLeaseWriteOrCreate, Duration.ofMillis(2800));

            assertThatThrownBy(() -> provider.acquire(LOCK, Duration.ofSeconds(30))).isInstanceOf(AutocertException.class)
                    .hasMessageContaining("took Lease locks/" + LeaseNames.leaseName(LOCK))
                    .hasMessageContaining("no renewal was answered within the renew deadline (PT2.5S)")
                    .hasMessageContaining("longer leaseDuration")
                    .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).isTrue());

            // Answered in time again: this provider takes its own Lease back at once.
            api.answerLate(r -> false, Duration.ZERO);
            try (LockProvider.Lock lock = provider.acquire(LOCK, Duration.ZERO)) {
                assertThat(lock.isHeld()).isTrue();
            }
        }
    }

    private static boolean isLeaseWriteOrCreate(ApiRequest request) {
        return request.resource().equals("leases") && (request.verb().equals("update") || request.verb().equals("create"));
    }
}
