package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.support.MovableClock;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The manager's decisions, with an issuer that self-signs and a clock the test moves. */
class CertificateManagerTest {
    private final CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
    private final MovableClock clock = new MovableClock();
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final List<CertificateEvent> events = new CopyOnWriteArrayList<>();

    private CertificateManager manager() {
        return CertificateManager.builder().issuer(issuer).store(store).clock(clock).listener(events::add).build();
    }

    private static Certificate.Builder cert() {
        return Certificate.builder("www").dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("ca"));
    }

    @Test
    void issuesOnceAndThenReturnsTheStoredCertificate() throws Exception {
        CertificateManager manager = manager();

        StoredCertificate first = manager.obtain(cert().build());
        StoredCertificate second = manager.obtain(cert().build());

        assertThat(issuer.calls).hasValue(1);
        assertThat(second.leaf()).isEqualTo(first.leaf());
        assertThat(first.metadata().revision()).isEqualTo(1);
    }

    @Test
    void reissuesAtTwoThirdsOfTheLifetime() throws Exception {
        CertificateManager manager = manager();
        manager.obtain(cert().build());

        clock.set(clock.instant().plus(Duration.ofDays(59)));
        manager.obtain(cert().build());
        assertThat(issuer.calls).as("day 59 of 90: not yet due").hasValue(1);

        clock.set(clock.instant().plus(Duration.ofDays(2)));
        StoredCertificate renewed = manager.obtain(cert().build());
        assertThat(issuer.calls).as("day 61 of 90: due").hasValue(2);
        assertThat(renewed.metadata().revision()).isEqualTo(2);
        assertThat(events).extracting(CertificateEvent::type).contains(CertificateEvent.Type.RENEWED);
    }

    @Test
    void reissuesAtRenewBefore() throws Exception {
        CertificateManager manager = manager();
        Certificate spec = cert().renewBefore(Duration.ofDays(10)).build();
        manager.obtain(spec);

        clock.set(clock.instant().plus(Duration.ofDays(79)));
        manager.obtain(spec);
        assertThat(issuer.calls).hasValue(1);

        clock.set(clock.instant().plus(Duration.ofDays(2)));
        manager.obtain(spec);
        assertThat(issuer.calls).hasValue(2);
    }

    @Test
    void reissuesAtRenewBeforePercentageOfTheLifetimeInsteadOfTwoThirds() throws Exception {
        CertificateManager manager = manager();
        Certificate spec = cert().renewBeforePercentage(25).build(); // 90 days: due at day 67.5, less up to an hour
        manager.obtain(spec);

        clock.set(clock.instant().plus(Duration.ofDays(61)));
        manager.obtain(spec);
        assertThat(issuer.calls).as("day 61: past two thirds, not yet 75 %").hasValue(1);

        clock.set(clock.instant().plus(Duration.ofDays(6)));
        manager.obtain(spec);
        assertThat(issuer.calls).as("day 67").hasValue(1);

        clock.set(clock.instant().plus(Duration.ofDays(1)));
        manager.obtain(spec);
        assertThat(issuer.calls).as("day 68: due").hasValue(2);
    }

    @Test
    void renewCountsACertificateThatAnotherReplicaRenewedWhileItWaitedForTheLock() throws Exception {
        Certificate spec = cert().build();
        CertificateManager other = CertificateManager.builder().issuer(issuer).store(store).clock(clock).build();
        AtomicInteger acquired = new AtomicInteger();
        // The other replica renews between renew()'s first look at the store and its lock.
        LockProvider lockedAfterTheOtherRenewed = (name, timeout) -> {
            if (acquired.incrementAndGet() == 2) {
                other.renew(spec);
            }
            return LockProvider.inJvm().acquire(name, timeout);
        };
        CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock)
                .lockProvider(lockedAfterTheOtherRenewed).build();
        StoredCertificate first = manager.obtain(spec);

        StoredCertificate renewed = manager.renew(spec);

        assertThat(acquired).as("obtain, then renew took the lock").hasValue(2);
        assertThat(issuer.calls).as("the first issuance and the other replica's renewal, no third").hasValue(2);
        assertThat(renewed.leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber())
                .isEqualTo(store.load(spec).orElseThrow().leaf().getSerialNumber());
    }

    @Test
    void rotationPolicyNeverKeepsTheKeyAndAlwaysMakesANewOne() throws Exception {
        CertificateManager manager = manager();
        Certificate keep = cert().privateKey(PrivateKeySpec.ecdsa(256).withRotationPolicy(RotationPolicy.NEVER)).build();
        StoredCertificate first = manager.obtain(keep);
        clock.set(clock.instant().plus(Duration.ofDays(80)));
        StoredCertificate second = manager.obtain(keep);
        assertThat(second.keyPair().getPublic()).isEqualTo(first.keyPair().getPublic());

        Certificate rotate = cert().build();
        clock.set(clock.instant().plus(Duration.ofDays(80)));
        StoredCertificate third = manager.obtain(rotate);
        assertThat(third.keyPair().getPublic()).isNotEqualTo(second.keyPair().getPublic());
    }

    @Test
    void aFailedIssuanceKeepsTheStoredCertificateAndReportsFailed() throws Exception {
        CertificateManager manager = manager();
        StoredCertificate first = manager.obtain(cert().build());
        issuer.fail = true;

        assertThatThrownBy(() -> manager.obtain(Certificate.builder("www").dnsNames("www.example.com", "api.example.com")
                        .issuerRef(IssuerRef.clusterIssuer("ca")).build()))
                .isInstanceOf(AutocertException.class).hasMessageContaining("CA unavailable");

        assertThat(store.load(cert().build()).orElseThrow().leaf()).isEqualTo(first.leaf());
        assertThat(events).extracting(CertificateEvent::type).contains(CertificateEvent.Type.FAILED);
    }

    @Test
    void refusesAChainThatDoesNotMatchTheRequestedKey() {
        issuer.wrongKey = true;

        assertThatThrownBy(() -> manager().obtain(cert().build()))
                .isInstanceOf(AutocertException.class).hasMessageContaining("does not match");
        assertThat(store.load(cert().build())).isEmpty();
    }

    @Test
    void aNamespacedIssuerServesOnlyItsNamespace() throws Exception {
        CountingIssuer shopIssuer = new CountingIssuer("shop-ca", IssuerScope.namespaced("shop"));
        CertificateManager manager = CertificateManager.builder().issuer(shopIssuer).store(store).clock(clock).build();
        Certificate.Builder inShop = Certificate.builder("www").dnsNames("www.example.com").issuerRef(IssuerRef.issuer("shop-ca"));

        manager.obtain(inShop.namespace("shop").build());
        assertThat(shopIssuer.calls).hasValue(1);

        Certificate elsewhere = Certificate.builder("www").namespace("blog").dnsNames("www.example.com")
                .issuerRef(IssuerRef.issuer("shop-ca")).build();
        assertThatThrownBy(() -> manager.obtain(elsewhere))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("issuerRef").hasMessageContaining("namespace blog");
    }

    @Test
    void aClusterIssuerRefDoesNotMatchANamespacedIssuerOfTheSameName() {
        CertificateManager manager = CertificateManager.builder().issuer(new CountingIssuer("ca", IssuerScope.namespaced("default")))
                .store(store).build();

        assertThatThrownBy(() -> manager.obtain(cert().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ClusterIssuer ca");
    }

    @Test
    void concurrentObtainsOfOneCertificateIssueOnce() throws Exception {
        CertificateManager a = manager();
        CertificateManager b = manager();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<StoredCertificate>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                CertificateManager m = i % 2 == 0 ? a : b;
                results.add(pool.submit(() -> m.obtain(cert().build())));
            }
            for (Future<StoredCertificate> f : results) {
                assertThat(f.get().leaf()).isEqualTo(results.get(0).get().leaf());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(issuer.calls).hasValue(1);
    }

    /** A solver that only says which it is. */
    private record NamedSolver(String name) implements Solver {
        @Override
        public ChallengeType challengeType() {
            return ChallengeType.HTTP_01;
        }

        @Override
        public boolean canSolve(Identifier identifier) {
            return true;
        }

        @Override
        public Presentation present(ChallengeRequest challenge) {
            return () -> { };
        }
    }

    @Test
    void anIssuerWithSolversOfItsOwnUsesOnlyThose() throws Exception {
        List<String> chosen = new CopyOnWriteArrayList<>();
        CountingIssuer dns = new CountingIssuer("letsencrypt-dns01", IssuerScope.cluster());
        Issuer choosing = new Issuer() {
            @Override
            public String name() {
                return "letsencrypt-http01";
            }

            @Override
            public IssuerScope scope() {
                return IssuerScope.cluster();
            }

            @Override
            public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) throws AutocertException {
                Certificate c = request.certificate();
                chosen.add(context.solvers().select(c.identifiers().get(0), c).map(s -> ((NamedSolver) s).name()).orElse("none"));
                return issuer.issue(request, context);
            }
        };
        CertificateManager manager = CertificateManager.builder()
                .issuer(choosing, List.of(new SolverSet.Entry(SolverSelector.any(), new NamedSolver("http01-ingress"))))
                .issuer(dns)
                .solver(new NamedSolver("shared"))
                .store(store).clock(clock).build();

        manager.obtain(Certificate.builder("a").dnsNames("a.example.com").issuerRef(IssuerRef.clusterIssuer("letsencrypt-http01")).build());

        assertThat(chosen).containsExactly("http01-ingress");
        assertThatThrownBy(() -> CertificateManager.builder().issuer(dns, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty list of solvers");
    }
}
