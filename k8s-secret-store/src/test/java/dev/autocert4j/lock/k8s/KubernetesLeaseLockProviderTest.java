package dev.autocert4j.lock.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // locks are held by try blocks, not used inside them
class KubernetesLeaseLockProviderTest {
    private static final String NS = "locks";
    private static final String LOCK = "certificate/default/www";
    private static final Instant T0 = Instant.parse("2026-11-29T03:00:00Z");

    private KubernetesMockApi api;
    private final List<KubernetesLeaseLockProvider> providers = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        api = new KubernetesMockApi();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        providers.forEach(KubernetesLeaseLockProvider::close);
        api.close();
    }

    private KubernetesLeaseLockProvider provider(String identity, Clock clock) {
        KubernetesLeaseLockProvider p = KubernetesLeaseLockProvider.builder(api.client()).namespace(NS)
                .holderIdentity(identity).clock(clock).build();
        providers.add(p);
        return p;
    }

    private KubernetesLeaseLockProvider provider(String identity, Clock clock, FakeTicker ticker) {
        KubernetesLeaseLockProvider p = KubernetesLeaseLockProvider.builder(api.client()).namespace(NS)
                .holderIdentity(identity).clock(clock).nanoTime(ticker).build();
        providers.add(p);
        return p;
    }

    private KubernetesLeaseLockProvider provider(String identity) {
        return provider(identity, Clock.systemUTC());
    }

    private Lease lease() {
        return api.inspector().leases().inNamespace(NS).withName(LeaseNames.leaseName(LOCK)).get();
    }

    @Test
    void acquireCreatesALeaseHeldByTheProviderAndCloseClearsTheHolder() throws Exception {
        KubernetesLeaseLockProvider a = provider("replica-a");

        LockProvider.Lock lock = a.acquire(LOCK, Duration.ZERO);

        Lease lease = lease();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(60);
        assertThat(lease.getSpec().getRenewTime()).isNotNull();
        assertThat(lease.getMetadata().getAnnotations()).containsEntry(KubernetesLeaseLockProvider.LOCK_NAME_ANNOTATION, LOCK);

        lock.close();
        assertThat(lease().getSpec().getHolderIdentity()).isNull();
        String versionAfterRelease = lease().getMetadata().getResourceVersion();
        lock.close(); // idempotent: no second write
        assertThat(lease().getMetadata().getResourceVersion()).isEqualTo(versionAfterRelease);

        try (LockProvider.Lock again = provider("replica-b").acquire(LOCK, Duration.ZERO)) {
            assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
            assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
        }
    }

    @Test
    void secondHolderWaitsAndGetsTheLockAfterRelease() throws Exception {
        KubernetesLeaseLockProvider a = provider("replica-a");
        KubernetesLeaseLockProvider b = provider("replica-b");
        LockProvider.Lock held = a.acquire(LOCK, Duration.ZERO);

        Future<LockProvider.Lock> waiting = pool.submit(() -> b.acquire(LOCK, Duration.ofSeconds(30)));
        // b polls while a holds the Lease: it must still be waiting after several polls.
        int requests = api.requestCount();
        Poll.until(Duration.ofSeconds(10), () -> api.requestCount() >= requests + 3,
                () -> "b polled fewer than 3 times in 10 s: " + (api.requestCount() - requests) + " requests");
        assertThat(waiting).isNotDone();
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a");

        held.close();
        try (LockProvider.Lock got = waiting.get(10, TimeUnit.SECONDS)) {
            assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
        }
    }

    @Test
    void givingUpNamesTheHolderAndTheLease() throws Exception {
        provider("replica-a").acquire(LOCK, Duration.ZERO);

        assertThatThrownBy(() -> provider("replica-b").acquire(LOCK, Duration.ofMillis(200)))
                .isInstanceOf(AutocertException.class)
                .hasMessageContaining("replica-a")
                .hasMessageContaining("Lease " + NS + "/" + LeaseNames.leaseName(LOCK))
                .hasMessageContaining(LOCK)
                .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).isTrue());
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a");
    }

    @Test
    void threadsOfOneProviderExcludeEachOther() throws Exception {
        KubernetesLeaseLockProvider a = provider("replica-a");
        try (LockProvider.Lock held = a.acquire(LOCK, Duration.ZERO)) {
            assertThatThrownBy(() -> pool.submit(() -> a.acquire(LOCK, Duration.ofMillis(200))).get())
                    .hasCauseInstanceOf(AutocertException.class)
                    .hasMessageContaining("another thread of this process");
        }
        // Released: the same provider takes it again at once.
        a.acquire(LOCK, Duration.ZERO).close();
    }

    @Test
    void takesOverALeaseOnlyAfterSeeingItUnchangedForALeaseDurationOnItsOwnClock() throws Exception {
        // replica-a "crashes": it took the Lease and never renews (its renewal runs only every 20 s).
        provider("replica-a", Clock.fixed(T0, ZoneOffset.UTC)).acquire(LOCK, Duration.ZERO);
        // replica-b's wall clock is hours ahead: it must not matter.
        FakeTicker ticker = new FakeTicker();
        KubernetesLeaseLockProvider b = provider("replica-b", Clock.fixed(T0.plusSeconds(7200), ZoneOffset.UTC), ticker);

        assertThatThrownBy(() -> b.acquire(LOCK, Duration.ZERO)).hasMessageContaining("replica-a");
        ticker.advance(Duration.ofSeconds(59));
        assertThatThrownBy(() -> b.acquire(LOCK, Duration.ZERO)).hasMessageContaining("replica-a");
        ticker.advance(Duration.ofSeconds(1));
        try (LockProvider.Lock lock = b.acquire(LOCK, Duration.ZERO)) {
            Lease lease = lease();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-b");
            assertThat(lease.getSpec().getAcquireTime().toInstant()).isEqualTo(T0.plusSeconds(7200));
            assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
        }
    }

    @Test
    void aReplicaWhoseClockIsMinutesAheadOrBehindDoesNotTakeALiveLease() throws Exception {
        provider("replica-a").acquire(LOCK, Duration.ZERO);

        for (Duration skew : List.of(Duration.ofMinutes(10), Duration.ofMinutes(-10))) {
            KubernetesLeaseLockProvider skewed = provider("replica-skewed" + skew.toMinutes(),
                    Clock.offset(Clock.systemUTC(), skew));
            assertThatThrownBy(() -> skewed.acquire(LOCK, Duration.ofMillis(300))).as("clock off by %s", skew)
                    .hasMessageContaining("replica-a");
        }
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a");
    }

    @Test
    void everyRenewalRestartsTheWaitOfTheOthers() throws Exception {
        FakeTicker aTicker = new FakeTicker();
        MutableClock aClock = new MutableClock(T0);
        KubernetesLeaseLockProvider a = provider("replica-a", aClock, aTicker);
        FakeTicker bTicker = new FakeTicker();
        KubernetesLeaseLockProvider b = provider("replica-b", Clock.systemUTC(), bTicker);
        try (LockProvider.Lock held = a.acquire(LOCK, Duration.ZERO)) {
            assertThatThrownBy(() -> b.acquire(LOCK, Duration.ZERO)).hasMessageContaining("replica-a");
            bTicker.advance(Duration.ofSeconds(40));
            aTicker.advance(Duration.ofSeconds(40));
            aClock.now = T0.minusSeconds(3600); // a's wall clock went back: only the change counts
            a.renewAll();
            bTicker.advance(Duration.ofSeconds(30));
            // 70 s since b first looked, but it saw the renewal only now.
            assertThatThrownBy(() -> b.acquire(LOCK, Duration.ZERO)).hasMessageContaining("replica-a");
            assertThat(held.isHeld()).isTrue();
            bTicker.advance(Duration.ofSeconds(60));
            try (LockProvider.Lock taken = b.acquire(LOCK, Duration.ZERO)) {
                assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
            }
        }
    }

    @Test
    void aHolderThatCannotRenewInTimeReportsTheLockLostBeforeAnyoneCanTakeIt() throws Exception {
        FakeTicker ticker = new FakeTicker(); // one monotonic time line for both, as on one machine
        KubernetesLeaseLockProvider a = provider("replica-a", Clock.systemUTC(), ticker);
        KubernetesLeaseLockProvider b = provider("replica-b", Clock.systemUTC(), ticker);
        LockProvider.Lock held = a.acquire(LOCK, Duration.ZERO);
        assertThatThrownBy(() -> b.acquire(LOCK, Duration.ZERO)).hasMessageContaining("replica-a");
        assertThat(held.isHeld()).isTrue();

        ticker.advance(Duration.ofSeconds(50)); // five sixths of 60 s without a renewal
        assertThat(held.isHeld()).as("past the renew deadline").isFalse();
        assertThatThrownBy(() -> b.acquire(LOCK, Duration.ZERO)).as("not yet expired for b")
                .hasMessageContaining("replica-a");
        // a stops: no late renewal, and no release that could clear someone else's hold.
        String version = lease().getMetadata().getResourceVersion();
        a.renewAll();
        held.close();
        assertThat(lease().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(held.isHeld()).isFalse();

        ticker.advance(Duration.ofSeconds(10));
        try (LockProvider.Lock taken = b.acquire(LOCK, Duration.ZERO)) {
            assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
            assertThat(taken.isHeld()).isTrue();
        }
        // a may take it again later: the lost lock no longer stands in its way.
        try (LockProvider.Lock again = a.acquire(LOCK, Duration.ZERO)) {
            assertThat(again.isHeld()).isTrue();
        }
    }

    @Test
    void aConcurrentWriteBetweenReadAndUpdateIsRetriedWithoutLosingIt() throws Exception {
        provider("replica-a").acquire(LOCK, Duration.ZERO).close();
        KubernetesLeaseLockProvider b = provider("replica-b");
        AtomicInteger attempts = new AtomicInteger();
        b.betweenReadAndWrite = () -> {
            if (attempts.incrementAndGet() == 1) {
                // Someone else changes the Lease after b read it: b's update must conflict.
                api.inspector().leases().inNamespace(NS).withName(LeaseNames.leaseName(LOCK))
                        .edit(l -> new LeaseBuilder(l).editMetadata().addToLabels("touched", "yes").endMetadata().build());
            }
        };

        try (LockProvider.Lock lock = b.acquire(LOCK, Duration.ZERO)) {
            assertThat(attempts).hasValue(2);
            Lease lease = lease();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-b");
            assertThat(lease.getMetadata().getLabels()).containsEntry("touched", "yes");
        }
    }

    /**
     * A real concurrent writer, not an injected one: another client keeps labelling the Lease
     * (read-modify-write with the resourceVersion it read, retrying on 409) while a provider takes
     * and releases it, round after round, until both have met a conflict at least once. Every take
     * succeeded, every release freed the Lease, and every label the other client wrote is there.
     */
    @Test
    void aWriterChangingTheLeaseWhileItIsTakenAndReleasedLosesNothing() throws Exception {
        provider("replica-a").acquire(LOCK, Duration.ZERO).close();
        KubernetesLeaseLockProvider b = provider("replica-b");
        AtomicInteger takeReads = new AtomicInteger();
        b.betweenReadAndWrite = takeReads::incrementAndGet;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writerConflicts = new AtomicInteger();
        ExecutorService otherWriter = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> labelsWritten = otherWriter.submit(() -> {
                int written = 0;
                while (!stop.get()) {
                    Lease next = new LeaseBuilder(lease()).editMetadata().addToLabels("writer-" + written, "yes").endMetadata().build();
                    try {
                        api.inspector().leases().inNamespace(NS).resource(next).update();
                        written++;
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) {
                            throw e;
                        }
                        writerConflicts.incrementAndGet();
                    }
                }
                return written;
            });
            int rounds = 0;
            while (rounds < 300 && (takeReads.get() <= rounds || writerConflicts.get() == 0)) {
                rounds++;
                try (LockProvider.Lock lock = b.acquire(LOCK, Duration.ofSeconds(10))) {
                    assertThat(lock.isHeld()).isTrue();
                    assertThat(lease().getSpec().getHolderIdentity()).as("holder in round %s", rounds).isEqualTo("replica-b");
                }
                assertThat(lease().getSpec().getHolderIdentity()).as("holder after round %s", rounds).isNull();
            }
            stop.set(true);
            int written = labelsWritten.get(60, TimeUnit.SECONDS);

            assertThat(takeReads.get()).as("a take met a conflict and read again").isGreaterThan(rounds);
            assertThat(writerConflicts.get()).as("the other writer met a conflict").isPositive();
            for (int i = 0; i < written; i++) {
                assertThat(lease().getMetadata().getLabels()).containsEntry("writer-" + i, "yes");
            }
        } finally {
            stop.set(true);
            otherWriter.shutdownNow();
        }
    }

    @Test
    void heldLeasesAreRenewedInTheBackground() throws Exception {
        MutableClock clock = new MutableClock(T0);
        KubernetesLeaseLockProvider a = KubernetesLeaseLockProvider.builder(api.client()).namespace(NS)
                .holderIdentity("replica-a").clock(clock).leaseDuration(Duration.ofSeconds(3)).build();
        providers.add(a);
        try (LockProvider.Lock lock = a.acquire(LOCK, Duration.ZERO)) {
            clock.now = T0.plusSeconds(100);
            Poll.until(Duration.ofSeconds(10), () -> lease().getSpec().getRenewTime().toInstant().equals(T0.plusSeconds(100)),
                    () -> "the Lease was not renewed at the clock's new time in 10 s: " + lease().getSpec().getRenewTime());
            assertThat(lease().getSpec().getAcquireTime().toInstant()).isEqualTo(T0);
            // Renewed, so not expired for a replica whose clock is 2 s past the renewal.
            KubernetesLeaseLockProvider b = provider("replica-b", Clock.fixed(T0.plusSeconds(102), ZoneOffset.UTC));
            assertThatThrownBy(() -> b.acquire(LOCK, Duration.ZERO)).hasMessageContaining("replica-a");
        }
    }

    @Test
    void aHolderWhoseLeaseWasTakenOverNeitherRenewsNorReleasesIt() throws Exception {
        FakeTicker ticker = new FakeTicker();
        KubernetesLeaseLockProvider a = provider("replica-a", Clock.fixed(T0, ZoneOffset.UTC), ticker);
        LockProvider.Lock stale = a.acquire(LOCK, Duration.ZERO);
        // replica-b sees the Lease unchanged for a whole lease duration (replica-a stalled): it takes over.
        Instant later = T0.plusSeconds(10);
        FakeTicker bTicker = new FakeTicker();
        KubernetesLeaseLockProvider b = provider("replica-b", Clock.fixed(later, ZoneOffset.UTC), bTicker);
        assertThatThrownBy(() -> b.acquire(LOCK, Duration.ZERO)).hasMessageContaining("replica-a");
        bTicker.advance(Duration.ofSeconds(60));
        LockProvider.Lock taken = b.acquire(LOCK, Duration.ZERO);

        // replica-a's renewal rounds (its own clock still within the deadline) find the Lease taken: none may write it.
        String version = lease().getMetadata().getResourceVersion();
        a.renewAll();
        a.renewAll();
        assertThat(lease().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(stale.isHeld()).isFalse();
        stale.close();
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
        assertThat(lease().getSpec().getRenewTime().toInstant()).isEqualTo(later);
        taken.close();
    }

    @Test
    void closingTheProviderReleasesItsLocksAndRefusesNewOnes() throws Exception {
        KubernetesLeaseLockProvider a = provider("replica-a");
        a.acquire(LOCK, Duration.ZERO);
        a.acquire("certificate/default/api", Duration.ZERO);

        a.close();

        assertThat(lease().getSpec().getHolderIdentity()).isNull();
        assertThat(api.inspector().leases().inNamespace(NS).withName(LeaseNames.leaseName("certificate/default/api"))
                .get().getSpec().getHolderIdentity()).isNull();
        assertThatThrownBy(() -> a.acquire(LOCK, Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void leaseNamesAreValidObjectNamesThatKeepDistinctLockNamesApart() {
        String name = LeaseNames.leaseName(LOCK);
        assertThat(name).startsWith("autocert4j-certificate-default-www-").hasSize("autocert4j-certificate-default-www-".length() + 8);
        assertThat(LeaseNames.leaseName("simple-name")).isEqualTo("autocert4j-simple-name");
        assertThat(LeaseNames.leaseName("Simple-Name")).isNotEqualTo("autocert4j-simple-name");
        assertThat(LeaseNames.leaseName("certificate/default/www"))
                .isNotEqualTo(LeaseNames.leaseName("certificate/default.www"));
        String long1 = LeaseNames.leaseName("certificate/" + "x".repeat(300) + "/a");
        String long2 = LeaseNames.leaseName("certificate/" + "x".repeat(300) + "/b");
        for (String n : List.of(name, long1, long2, LeaseNames.leaseName("/weird//"),
                LeaseNames.leaseName("-"))) {
            assertThat(n).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
        assertThat(long1).isNotEqualTo(long2);
    }

    @Test
    void builderRejectsBadSettingsWithMessagesSayingWhatToChange() {
        assertThatThrownBy(() -> KubernetesLeaseLockProvider.builder(api.client()).namespace("Bad_NS"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace must be a DNS-1123 label")
                .hasMessageContaining("Bad_NS");
        assertThatThrownBy(() -> KubernetesLeaseLockProvider.builder(api.client()).leaseDuration(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> KubernetesLeaseLockProvider.builder(api.client()).leaseDuration(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 s");
        assertThatThrownBy(() -> KubernetesLeaseLockProvider.builder(api.client()).holderIdentity(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holderIdentity");
        assertThatThrownBy(() -> KubernetesLeaseLockProvider.builder(api.client()).namespace("a").namespace("b"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("namespace was already set");
        assertThatThrownBy(() -> KubernetesLeaseLockProvider.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("client");
        KubernetesLeaseLockProvider p = provider("replica-a");
        assertThatThrownBy(() -> p.acquire("", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lock name must not be empty");
        assertThatThrownBy(() -> p.acquire(LOCK, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must not be negative");
    }

    @Test
    void defaultsAreAUniqueHolderIdentityAndSixtySeconds() {
        KubernetesLeaseLockProvider one = KubernetesLeaseLockProvider.builder(api.client()).build();
        KubernetesLeaseLockProvider two = KubernetesLeaseLockProvider.builder(api.client()).build();
        providers.add(one);
        providers.add(two);
        assertThat(one.holderIdentity()).isNotBlank().isNotEqualTo(two.holderIdentity());
        assertThat(one.leaseDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(one.namespace()).isEqualTo(api.client().getNamespace() == null ? "default" : api.client().getNamespace());
    }

    @Test
    void theSecretStoreDefaultsToLeasesInItsClusterResourceNamespace() throws Exception {
        KubernetesSecretStore store = KubernetesSecretStore.of(api.client(), "autocert4j-system");
        LockProvider locks = store.defaultLockProvider();
        assertThat(locks).isInstanceOf(KubernetesLeaseLockProvider.class).isSameAs(store.defaultLockProvider());
        providers.add((KubernetesLeaseLockProvider) locks);
        try (LockProvider.Lock lock = locks.acquire(LOCK, Duration.ZERO)) {
            assertThat(api.inspector().leases().inNamespace("autocert4j-system").withName(LeaseNames.leaseName(LOCK))
                    .get().getSpec().getHolderIdentity()).isEqualTo(((KubernetesLeaseLockProvider) locks).holderIdentity());
        }
    }

    /** A monotonic clock the test moves. */
    static final class FakeTicker implements java.util.function.LongSupplier {
        private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }

        @Override
        public long getAsLong() {
            return nanos.get();
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
