package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.PendingCleanup;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link CertificateManager#cleanUpLeftovers()}: what a dead process presented is removed by the next one. */
class CertificateManagerCleanupTest {
    /** A DNS-01 solver that only cleans up: the handles it was asked to remove. */
    private static final class CleaningSolver implements Solver {
        final String id;
        final Set<String> cleaned = ConcurrentHashMap.newKeySet();
        volatile boolean fail;

        CleaningSolver(String id) {
            this.id = id;
        }

        @Override
        public ChallengeType challengeType() {
            return ChallengeType.DNS_01;
        }

        @Override
        public boolean canSolve(Identifier identifier) {
            return true;
        }

        @Override
        public Presentation present(ChallengeRequest challenge) {
            throw new UnsupportedOperationException("cleanup only");
        }

        @Override
        public String solverId() {
            return id;
        }

        @Override
        public void cleanUp(String handle) throws SolverException {
            if (fail) {
                throw new SolverException("provider unavailable", true, null);
            }
            cleaned.add(handle);
        }
    }

    /** Never asked to issue: the tests only need a manager. */
    private static final class NoIssuer implements Issuer {
        @Override
        public String name() {
            return "ca";
        }

        @Override
        public IssuerScope scope() {
            return IssuerScope.cluster();
        }

        @Override
        public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) throws AutocertException {
            throw new AutocertException("not in this test", false);
        }
    }

    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final CleaningSolver solver = new CleaningSolver("dns-01/test");

    private CertificateManager manager() {
        return CertificateManager.builder().issuer(new NoIssuer()).solver(solver).store(store).build();
    }

    @Test
    void removesRecordedLeftoversThroughTheSolverWithTheSameId() throws Exception {
        store.recordPendingCleanup(new PendingCleanup("default/www", "dns-01/test", "h1"));
        store.recordPendingCleanup(new PendingCleanup("default/api", "dns-01/test", "h2"));

        int removed = manager().cleanUpLeftovers();

        assertThat(removed).isEqualTo(2);
        assertThat(solver.cleaned).containsExactlyInAnyOrder("h1", "h2");
        assertThat(store.pendingCleanups()).isEmpty();
    }

    @Test
    void keepsLeftoversWhoseSolverIsNotConfiguredOrWhoseRemovalFails() throws Exception {
        PendingCleanup foreign = new PendingCleanup("default/www", "dns-01/other", "h1");
        PendingCleanup failing = new PendingCleanup("default/api", "dns-01/test", "h2");
        store.recordPendingCleanup(foreign);
        store.recordPendingCleanup(failing);
        solver.fail = true;

        assertThat(manager().cleanUpLeftovers()).isZero();

        assertThat(store.pendingCleanups()).containsExactlyInAnyOrder(foreign, failing);
    }

    @Test
    @SuppressWarnings("try")
    void leavesTheLeftoversOfACertificateBeingOrderedToItsManager() throws Exception {
        store.recordPendingCleanup(new PendingCleanup("default/www", "dns-01/test", "h1"));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = other.submit(() -> {
                try (LockProvider.Lock lock = store.defaultLockProvider().acquire("certificate/default/www", Duration.ofSeconds(5))) {
                    held.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }
                return null;
            });
            assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(manager().cleanUpLeftovers()).isZero();
            assertThat(solver.cleaned).isEmpty();

            release.countDown();
            holder.get(5, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            other.shutdownNow();
        }
        assertThat(manager().cleanUpLeftovers()).isEqualTo(1);
    }

    @Test
    void cleansUpOnceByItselfBeforeTheFirstObtain() throws Exception {
        store.recordPendingCleanup(new PendingCleanup("default/www", "dns-01/test", "h1"));
        CertificateManager manager = manager();
        Certificate cert = Certificate.builder("www").dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("ca")).build();

        try {
            manager.obtain(cert);
        } catch (AutocertException expected) {
            // NoIssuer refuses; the cleanup ran before
        }

        assertThat(solver.cleaned).containsExactly("h1");
        assertThat(store.pendingCleanups()).isEmpty();
    }
}
