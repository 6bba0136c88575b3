package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.FailureRecords;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.support.MovableClock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link CertificateManager#cachedStatus}: what health checks and metric scrapes read, many times a minute. It must
 * not cost a store read per call (a Kubernetes API GET per certificate and scrape), and must still show each
 * renewal, failure and expiry.
 */
class CachedStatusTest {
    private final CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
    private final MovableClock clock = new MovableClock();
    private final CountingStore store = new CountingStore();
    private final Certificate spec = Certificate.builder("www").dnsNames("www.example.com")
            .issuerRef(IssuerRef.clusterIssuer("ca")).build();

    private CertificateManager manager() {
        return CertificateManager.builder().store(store).clock(clock).issuer(issuer).build();
    }

    @Test
    void aHundredReadsOfAReadyCertificateReadTheStoreOnlyForTheFirst() throws Exception {
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            store.reads.set(0);

            CertificateStatus first = manager.cachedStatus(spec);
            int afterFirst = store.reads.get();
            for (int i = 0; i < 100; i++) {
                assertThat(manager.cachedStatus(spec)).isEqualTo(first);
            }

            assertThat(afterFirst).as("the first read loads the certificate and its failures").isPositive();
            assertThat(store.reads).as("store reads after the first of 101 calls").hasValue(afterFirst);
            assertThat(first).isEqualTo(manager.status(spec));
            assertThat(first.isReady()).isTrue();
        }
    }

    @Test
    void aRenewalShowsAtTheNextReadAndIsThenKeptAgain() throws Exception {
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            CertificateStatus before = manager.cachedStatus(spec);
            clock.set(before.renewalTime().orElseThrow());

            manager.runDue();
            CertificateStatus after = manager.cachedStatus(spec);
            int reads = store.reads.get();
            manager.cachedStatus(spec);

            assertThat(after.revision()).isEqualTo(2);
            assertThat(after.notAfter()).isNotEqualTo(before.notAfter());
            assertThat(after.issuing().reason()).isEqualTo("UpToDate");
            assertThat(store.reads).as("no read for the renewed status once kept").hasValue(reads);
        }
    }

    @Test
    void aRenewalAndARevocationAskedForBeforeAnyTimeHasPassedShowAtTheNextRead() throws Exception {
        try (CertificateManager manager = manager()) {
            manager.obtain(spec);
            assertThat(manager.cachedStatus(spec).revision()).isEqualTo(1);

            manager.renew(spec); // the clock stands still: only the manager's events can tell
            CertificateStatus renewed = manager.cachedStatus(spec);
            manager.revoke(spec, RevocationReason.KEY_COMPROMISE);
            CertificateStatus revoked = manager.cachedStatus(spec);

            assertThat(renewed.revision()).isEqualTo(2);
            assertThat(revoked.ready().reason()).isEqualTo("Revoked");
            assertThat(revoked).isEqualTo(manager.status(spec));
        }
    }

    @Test
    void theStatusTurnsDueAndExpiredByTheClockAloneAsAFreshReadWould() throws Exception {
        try (CertificateManager manager = manager()) {
            manager.obtain(spec); // obtained, not managed: no next check, no renewal, no event later
            CertificateStatus ready = manager.cachedStatus(spec);
            assertThat(ready.issuing().reason()).isEqualTo("UpToDate");

            clock.set(ready.renewalTime().orElseThrow());
            CertificateStatus due = manager.cachedStatus(spec);
            assertThat(due).isEqualTo(manager.status(spec));
            clock.set(ready.notAfter().orElseThrow());
            CertificateStatus expired = manager.cachedStatus(spec);
            assertThat(expired).isEqualTo(manager.status(spec));

            assertThat(due.issuing().reason()).isEqualTo("Renewing");
            assertThat(expired.ready().reason()).isEqualTo("Expired");
        }
    }

    @Test
    void aFailedAttemptShowsAtTheNextRead() throws Exception {
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            CertificateStatus ready = manager.cachedStatus(spec);
            issuer.fail = true;
            clock.set(ready.renewalTime().orElseThrow());

            manager.runDue();
            CertificateStatus failed = manager.cachedStatus(spec);

            assertThat(failed.failedIssuanceAttempts()).isEqualTo(1);
            assertThat(failed.issuing().reason()).isEqualTo("Failed");
            assertThat(failed).isEqualTo(manager.status(spec));
        }
    }

    @Test
    void aCertificateThatAnotherManagerRenewedShowsAfterThisManagersNextCheck() throws Exception {
        try (CertificateManager manager = manager(); CertificateManager other = manager()) {
            manager.manage(spec);
            manager.runDue();
            CertificateStatus before = manager.cachedStatus(spec);

            clock.set(clock.instant().plus(Duration.ofDays(1)));
            other.renew(spec); // a day later, so still usable at this manager's check; no event reaches this manager
            clock.set(manager.nextCheck(spec).orElseThrow());
            manager.runDue(); // finds the other manager's certificate usable and takes it, without an event

            assertThat(manager.cachedStatus(spec).revision()).isEqualTo(before.revision() + 1);
        }
    }

    @Test
    void aStoreThatCannotBeReadIsReportedAndNothingIsKept() throws Exception {
        try (CertificateManager manager = manager()) {
            manager.obtain(spec);
            store.broken = true;
            assertThatThrownBy(() -> manager.cachedStatus(spec)).isInstanceOf(StoreException.class);

            store.broken = false;
            assertThat(manager.cachedStatus(spec).isReady()).isTrue();
        }
    }

    /** Counts the reads of certificates and failures, and can refuse them. */
    private static final class CountingStore implements CertificateStore, FailureRecords {
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean broken;
        private final InMemoryCertificateStore delegate = new InMemoryCertificateStore();

        @Override
        public Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
            reads.incrementAndGet();
            if (broken) {
                throw new StoreException("the test store is down", true, null);
            }
            return delegate.load(certificate);
        }

        @Override
        public void save(Certificate certificate, StoredCertificate stored) throws StoreException {
            delegate.save(certificate, stored);
        }

        @Override
        public Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
            reads.incrementAndGet();
            return delegate.loadFailures(certificate);
        }

        @Override
        public void saveFailures(Certificate certificate, IssuanceFailures failures) throws StoreException {
            delegate.saveFailures(certificate, failures);
        }

        @Override
        public void clearFailures(Certificate certificate) throws StoreException {
            delegate.clearFailures(certificate);
        }
    }
}
