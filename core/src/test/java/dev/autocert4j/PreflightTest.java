package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.support.MovableClock;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The manager runs the preflight of its store and issuers before every order, and only then. */
class PreflightTest {
    private final MovableClock clock = new MovableClock();
    private final InMemoryCertificateStore memory = new InMemoryCertificateStore();
    private final CheckedStore store = new CheckedStore(memory);
    private final CountingIssuer ca = new CountingIssuer("ca", IssuerScope.cluster());
    private final CountingIssuer fallback = new CountingIssuer("fallback", IssuerScope.cluster());
    private final CheckedIssuer checkedCa = new CheckedIssuer(ca);
    private final List<CertificateEvent> events = new CopyOnWriteArrayList<>();

    private CertificateManager manager() {
        return CertificateManager.builder().issuer(checkedCa).issuer(fallback).store(store).clock(clock)
                .listener(events::add).build();
    }

    private static Certificate.Builder cert() {
        return Certificate.builder("www").dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("ca"));
    }

    @Test
    void aFailedStorePreflightOrdersNothingGeneratesNoKeyAndCountsAsAFailedAttempt() throws Exception {
        store.problem = "keystore password Secret web/pw does not exist: create it";
        CertificateManager manager = manager();
        Certificate www = cert().build();

        assertThatThrownBy(() -> manager.obtain(www)).isInstanceOf(PreflightException.class)
                .hasMessage("keystore password Secret web/pw does not exist: create it");

        assertThat(ca.calls).as("orders").hasValue(0);
        assertThat(checkedCa.checks).as("issuer preflights after a failed store preflight").hasValue(0);
        assertThat(events).extracting(CertificateEvent::type).doesNotContain(CertificateEvent.Type.GENERATED)
                .containsExactly(CertificateEvent.Type.FAILED);
        assertThat(events.get(0).message()).contains("keystore password Secret web/pw does not exist");
        assertThat(manager.status(www).failedIssuanceAttempts()).isEqualTo(1);
        assertThat(memory.loadFailures(www)).as("recorded in the store's FailureRecords").isPresent();
        assertThat(memory.load(www)).isEmpty();
    }

    @Test
    void anIssuerThatFailsItsPreflightIsSkippedForTheNextIssuerWithoutAnOrder() throws Exception {
        checkedCa.problem = "the ACME directory cannot be read";
        Certificate www = cert().fallbackIssuerRefs(IssuerRef.clusterIssuer("fallback")).build();

        StoredCertificate issued = manager().obtain(www);

        assertThat(issued.metadata().issuerName()).isEqualTo("fallback");
        assertThat(ca.calls).as("orders at the issuer whose preflight failed").hasValue(0);
        assertThat(fallback.calls).hasValue(1);
        assertThat(events).filteredOn(e -> e.type() == CertificateEvent.Type.GENERATED).hasSize(1);
    }

    @Test
    void preflightRunsBeforeEachOrderButNotWhenTheStoredCertificateIsStillGood() throws Exception {
        CertificateManager manager = manager();
        Certificate www = cert().build();

        manager.obtain(www);
        manager.obtain(www);
        assertThat(store.checks).as("store preflights for one order and one renewal check").hasValue(1);
        assertThat(checkedCa.checks).hasValue(1);

        manager.renew(www);
        assertThat(store.checks).hasValue(2);
        assertThat(checkedCa.checks).hasValue(2);
        assertThat(ca.calls).hasValue(2);
    }

    @Test
    void aFailedPreflightIsHeldBackByTheBackoffLikeAFailedIssuance() throws Exception {
        store.problem = "the Ingress default/challenge does not exist";
        CertificateManager manager = manager();
        Certificate www = cert().build();
        assertThatThrownBy(() -> manager.obtain(www)).isInstanceOf(PreflightException.class);

        CertificateStatus status = manager.status(www);

        assertThat(status.failedIssuanceAttempts()).isEqualTo(1);
        assertThat(status.nextAttempt()).contains(clock.instant().plus(java.time.Duration.ofHours(1)));
    }

    /** A store whose preflight fails while {@link #problem} is set. */
    static final class CheckedStore implements CertificateStore, dev.autocert4j.store.FailureRecords, Preflight {
        final InMemoryCertificateStore delegate;
        final AtomicInteger checks = new AtomicInteger();
        volatile String problem;

        CheckedStore(InMemoryCertificateStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void preflight(PreflightRequest request) throws PreflightException {
            checks.incrementAndGet();
            assertThat(request.certificate().id()).isEqualTo("default/www");
            if (problem != null) {
                throw new PreflightException(problem, true);
            }
        }

        @Override
        public Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
            return delegate.load(certificate);
        }

        @Override
        public void save(Certificate certificate, StoredCertificate stored) throws StoreException {
            delegate.save(certificate, stored);
        }

        @Override
        public Optional<dev.autocert4j.store.IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
            return delegate.loadFailures(certificate);
        }

        @Override
        public void saveFailures(Certificate certificate, dev.autocert4j.store.IssuanceFailures failures) throws StoreException {
            delegate.saveFailures(certificate, failures);
        }

        @Override
        public void clearFailures(Certificate certificate) throws StoreException {
            delegate.clearFailures(certificate);
        }

        @Override
        public LockProvider defaultLockProvider() {
            return delegate.defaultLockProvider();
        }
    }

    /** An issuer whose preflight fails while {@link #problem} is set. */
    static final class CheckedIssuer implements Issuer, Preflight {
        final CountingIssuer delegate;
        final AtomicInteger checks = new AtomicInteger();
        volatile String problem;

        CheckedIssuer(CountingIssuer delegate) {
            this.delegate = delegate;
        }

        @Override
        public void preflight(PreflightRequest request) throws PreflightException {
            checks.incrementAndGet();
            if (problem != null) {
                throw new PreflightException(problem, true);
            }
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public IssuerScope scope() {
            return delegate.scope();
        }

        @Override
        public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) throws AutocertException {
            return delegate.issue(request, context);
        }
    }
}
