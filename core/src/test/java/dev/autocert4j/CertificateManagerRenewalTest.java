package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.issuer.RenewalWindow;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.FailureRecords;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.support.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Background renewal, as the spec for {@link CertificateManager#manage}: a test clock is moved and
 * {@link CertificateManager#runDue()} does what the scheduler thread would do at that time.
 */
class CertificateManagerRenewalTest {
    private final CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
    private final MovableClock clock = new MovableClock();
    private final List<CertificateEvent> events = new CopyOnWriteArrayList<>();
    private CertificateStore store = new InMemoryCertificateStore();

    private CertificateManager manager(Issuer... issuers) {
        CertificateManager.Builder b = CertificateManager.builder().store(store).clock(clock).listener(events::add);
        if (issuers.length == 0) {
            b.issuer(issuer);
        }
        for (Issuer i : issuers) {
            b.issuer(i);
        }
        return b.build();
    }

    private static Certificate.Builder cert() {
        return Certificate.builder("www").dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("ca"));
    }

    private static Instant twoThirds(StoredCertificate s) {
        return s.notBefore().plus(Duration.between(s.notBefore(), s.notAfter()).multipliedBy(2).dividedBy(3));
    }

    @Test
    void aManagedCertificateIsIssuedAtOnceAndRenewedAtTwoThirdsOfItsLifetime() throws Exception {
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            assertThat(manager.runDue()).isEqualTo(1);
            StoredCertificate first = store.load(spec).orElseThrow();
            CertificateStatus status = manager.status(spec);
            assertThat(status.isReady()).isTrue();
            Instant renewal = status.renewalTime().orElseThrow();
            // 2/3 of 90 days, made earlier by at most an hour so that certificates issued together spread out
            assertThat(renewal).isBetween(twoThirds(first).minus(Duration.ofHours(1)), twoThirds(first));
            assertThat(manager.nextCheck(spec)).contains(renewal);

            clock.set(renewal.minusSeconds(1));
            assertThat(manager.runDue()).as("a second early: nothing due").isZero();
            assertThat(issuer.calls).hasValue(1);

            clock.set(renewal);
            assertThat(manager.runDue()).isEqualTo(1);
            assertThat(issuer.calls).hasValue(2);
            StoredCertificate second = store.load(spec).orElseThrow();
            assertThat(second.metadata().revision()).isEqualTo(2);
            assertThat(second.keyPair().getPublic()).as("rotation Always: a new key").isNotEqualTo(first.keyPair().getPublic());
            assertThat(events).extracting(CertificateEvent::type).contains(CertificateEvent.Type.RENEWED);
        }
    }

    @Test
    void renewBeforeSetsTheRenewalTime() throws Exception {
        Certificate spec = cert().renewBefore(Duration.ofDays(10)).build();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            StoredCertificate first = store.load(spec).orElseThrow();
            Instant due = first.notAfter().minus(Duration.ofDays(10));
            assertThat(manager.status(spec).renewalTime().orElseThrow()).isBetween(due.minus(Duration.ofHours(1)), due);

            clock.set(due.minus(Duration.ofHours(2)));
            manager.runDue();
            assertThat(issuer.calls).hasValue(1);
            clock.set(due);
            manager.runDue();
            assertThat(issuer.calls).hasValue(2);
        }
    }

    @Test
    void failuresBackOffOneHourDoublingUpToThirtyTwoHours() throws Exception {
        issuer.fail = true;
        Certificate spec = cert().build();
        List<Duration> waits = new ArrayList<>();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            for (int attempt = 1; attempt <= 8; attempt++) {
                assertThat(manager.runDue()).isEqualTo(1);
                assertThat(issuer.calls).hasValue(attempt);
                CertificateStatus status = manager.status(spec);
                assertThat(status.failedIssuanceAttempts()).isEqualTo(attempt);
                assertThat(status.lastFailureTime()).contains(clock.instant());
                assertThat(status.issuing().reason()).isEqualTo("Failed");
                Instant next = status.nextAttempt().orElseThrow();
                waits.add(Duration.between(clock.instant(), next));

                clock.set(next.minusSeconds(1));
                manager.runDue();
                assertThat(issuer.calls).as("no attempt before the backoff ends").hasValue(attempt);
                clock.set(next);
            }
        }
        assertThat(waits).extracting(Duration::toHours).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 32L, 32L);
        assertThat(events).filteredOn(e -> e.type() == CertificateEvent.Type.FAILED).first()
                .extracting(CertificateEvent::message).asString().contains("next attempt at 2026-01-01T01:00:00Z");
    }

    @Test
    void aRateLimitsRetryAfterWinsOverTheBackoff() throws Exception {
        issuer.rateLimitedUntil = clock.instant().plus(Duration.ofHours(5));
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            assertThat(manager.status(spec).nextAttempt()).contains(clock.instant().plus(Duration.ofHours(5)));
            assertThat(manager.nextCheck(spec)).contains(clock.instant().plus(Duration.ofHours(5)));
        }
    }

    @Test
    void aRestartedManagerResumesTheBackoffAndTheFailureCount(@TempDir Path dir) throws Exception {
        store = FileCertificateStore.of(dir);
        issuer.fail = true;
        Certificate spec = cert().build();
        try (CertificateManager first = manager()) {
            first.manage(spec);
            for (int i = 0; i < 3; i++) {
                first.runDue();
                clock.set(first.status(spec).nextAttempt().orElseThrow());
            }
        }
        assertThat(issuer.calls).hasValue(3);
        clock.set(clock.instant().minus(Duration.ofHours(1))); // restart three hours into the four-hour wait

        store = FileCertificateStore.of(dir);
        try (CertificateManager restarted = manager()) {
            restarted.manage(spec);
            restarted.runDue();
            assertThat(issuer.calls).as("the restart does not hammer the CA").hasValue(3);
            CertificateStatus status = restarted.status(spec);
            assertThat(status.failedIssuanceAttempts()).isEqualTo(3);
            assertThat(restarted.nextCheck(spec)).contains(clock.instant().plus(Duration.ofHours(1)));

            clock.set(clock.instant().plus(Duration.ofHours(1)));
            restarted.runDue();
            assertThat(issuer.calls).hasValue(4);
            assertThat(restarted.status(spec).nextAttempt()).contains(clock.instant().plus(Duration.ofHours(8)));

            issuer.fail = false;
            clock.set(clock.instant().plus(Duration.ofHours(8)));
            restarted.runDue();
            assertThat(restarted.status(spec).failedIssuanceAttempts()).as("success clears the count").isZero();
            assertThat(((FailureRecords) store).loadFailures(spec)).isEmpty();
        }
    }

    @Test
    void aChangedSpecIsIssuedAtOnceDespiteTheBackoffAndAnUnchangedValidOneWaits() throws Exception {
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            assertThat(issuer.calls).hasValue(1);

            try (CertificateManager restarted = manager()) {
                restarted.manage(spec);
                restarted.runDue();
                assertThat(issuer.calls).as("valid and unchanged: no new order").hasValue(1);
            }

            issuer.fail = true;
            Certificate more = Certificate.builder("www").dnsNames("www.example.com", "api.example.com").issuerRef(IssuerRef.clusterIssuer("ca")).build();
            manager.manage(more);
            manager.runDue();
            assertThat(issuer.calls).as("changed names: issued at once").hasValue(2);
            assertThat(manager.status(more).failedIssuanceAttempts()).isEqualTo(1);

            issuer.fail = false;
            Certificate rsa = more.toBuilder().privateKey(PrivateKeySpec.rsa(2048)).build();
            manager.manage(rsa);
            manager.runDue();
            assertThat(issuer.calls).as("changed key algorithm: the backoff of the old spec does not apply").hasValue(3);
            assertThat(store.load(rsa).orElseThrow().keyPair().getPublic().getAlgorithm()).isEqualTo("RSA");
        }
    }

    @Test
    void whenTheFirstIssuerFailsTheNextOneIssues() throws Exception {
        issuer.fail = true;
        CountingIssuer zerossl = new CountingIssuer("zerossl", IssuerScope.cluster());
        Certificate spec = cert().fallbackIssuerRefs(IssuerRef.clusterIssuer("zerossl")).build();
        try (CertificateManager manager = manager(issuer, zerossl)) {
            manager.manage(spec);
            manager.runDue();

            StoredCertificate stored = store.load(spec).orElseThrow();
            assertThat(stored.metadata().issuerName()).isEqualTo("zerossl");
            assertThat(issuer.calls).hasValue(1);
            assertThat(zerossl.calls).hasValue(1);
            assertThat(manager.status(spec).failedIssuanceAttempts()).isZero();

            zerossl.fail = true;
            assertThatThrownBy(() -> manager.renew(spec)).isInstanceOf(AutocertException.class)
                    .hasMessageContaining("zerossl: CA unavailable")
                    .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                            .containsExactly("ca: CA unavailable"));
            assertThat(store.load(spec).orElseThrow().leaf()).as("the previous certificate is intact").isEqualTo(stored.leaf());
        }
    }

    @Test
    void theCasRenewalWindowDecidesTheRenewalTimeAndTheRenewalNamesWhatItReplaces() throws Exception {
        Certificate spec = cert().build();
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock)
                .renewalInfoInterval(Duration.ofHours(6)).build()) {
            // A CA with Renewal Information suggests a window for every certificate it issued.
            Instant usual = clock.instant().plus(Duration.ofDays(60));
            issuer.window = new RenewalWindow(usual, usual.plus(Duration.ofDays(1)));
            manager.manage(spec);
            manager.runDue();
            StoredCertificate first = store.load(spec).orElseThrow();
            assertThat(manager.status(spec).renewalTime().orElseThrow()).isBetween(usual, usual.plus(Duration.ofDays(1)));

            // Then it asks for an early renewal, say after a revocation event.
            Instant start = clock.instant().plus(Duration.ofDays(10));
            issuer.window = new RenewalWindow(start, start.plus(Duration.ofHours(2)));
            clock.set(clock.instant().plus(Duration.ofHours(6)));
            manager.runDue();
            Instant renewal = manager.status(spec).renewalTime().orElseThrow();
            assertThat(renewal).isBetween(start, start.plus(Duration.ofHours(2)));
            assertThat(manager.nextCheck(spec)).as("asks again in 6 hours").contains(clock.instant().plus(Duration.ofHours(6)));

            clock.set(renewal);
            manager.runDue();
            assertThat(issuer.calls).hasValue(2);
            assertThat(issuer.requests.get(0).replaces()).isEmpty();
            assertThat(issuer.requests.get(1).replaces()).contains(first.leaf());
        }
    }

    @Test
    void revokingAManagedCertificateRevokesAtItsIssuerAndIssuesANewOne() throws Exception {
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            StoredCertificate first = store.load(spec).orElseThrow();

            manager.revoke(spec, RevocationReason.KEY_COMPROMISE);

            assertThat(issuer.revoked).containsExactly(first.leaf().getSerialNumber() + ":KEY_COMPROMISE");
            assertThat(store.load(spec).orElseThrow().leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
            assertThat(events).extracting(CertificateEvent::type).contains(CertificateEvent.Type.REVOKED);
        }
    }

    @Test
    void aRevokedCertificateIsMarkedInTheStoreAndObtainIssuesANewOneInsteadOfReturningIt() throws Exception {
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            StoredCertificate first = manager.obtain(spec);

            manager.revoke(spec, RevocationReason.SUPERSEDED); // not managed: nothing is issued by revoke itself

            assertThat(issuer.calls).hasValue(1);
            StoredCertificate marked = store.load(spec).orElseThrow();
            assertThat(marked.leaf().getSerialNumber()).isEqualTo(first.leaf().getSerialNumber());
            assertThat(marked.metadata().revokedAt()).contains(clock.instant());
            assertThat(manager.status(spec).isReady()).isFalse();

            StoredCertificate next = manager.obtain(spec);
            assertThat(next.leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
            assertThat(next.metadata().isRevoked()).isFalse();
            assertThat(manager.obtain(spec).leaf().getSerialNumber()).isEqualTo(next.leaf().getSerialNumber());
        }
    }

    @Test
    void aCertificateIssuedAfterARevocationNeverReusesTheRevokedKeyEvenWithRotationPolicyNever() throws Exception {
        Certificate spec = cert().privateKey(PrivateKeySpec.ecdsa(256).withRotationPolicy(RotationPolicy.NEVER)).build();
        try (CertificateManager manager = manager()) {
            StoredCertificate first = manager.obtain(spec);
            StoredCertificate renewed = manager.renew(spec);
            assertThat(renewed.keyPair().getPublic()).as("Never keeps the key on renewal").isEqualTo(first.keyPair().getPublic());

            manager.revoke(spec, RevocationReason.KEY_COMPROMISE);
            StoredCertificate next = manager.obtain(spec);

            assertThat(next.keyPair().getPublic()).as("a new key after the revocation")
                    .isNotEqualTo(first.keyPair().getPublic());
        }
    }

    @Test
    void aRevokedMarkSurvivesARestartWithTheFileStore(@TempDir Path dir) throws Exception {
        store = FileCertificateStore.of(dir);
        Certificate spec = cert().build();
        StoredCertificate first;
        try (CertificateManager manager = manager()) {
            first = manager.obtain(spec);
            manager.revoke(spec, RevocationReason.KEY_COMPROMISE);
        }
        store = FileCertificateStore.of(dir);
        try (CertificateManager restarted = manager()) {
            assertThat(restarted.obtain(spec).leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
        }
    }

    @Test
    void revokingWithoutAStoredCertificateSaysSo() {
        try (CertificateManager manager = manager()) {
            assertThatThrownBy(() -> manager.revoke(cert().build(), RevocationReason.SUPERSEDED))
                    .isInstanceOf(AutocertException.class).hasMessageContaining("Nothing is stored for default/www");
        }
    }

    @Test
    void statusSaysWhatIsMissing() throws Exception {
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            CertificateStatus before = manager.status(spec);
            assertThat(before.isReady()).isFalse();
            assertThat(before.ready().reason()).isEqualTo("DoesNotExist");
            assertThat(before.issuing().status()).isEqualTo(CertificateStatus.ConditionStatus.TRUE);
            assertThat(before.revision()).isZero();

            manager.manage(spec);
            manager.runDue();
            clock.set(store.load(spec).orElseThrow().notAfter());
            CertificateStatus expired = manager.status(spec);
            assertThat(expired.ready().reason()).isEqualTo("Expired");
            assertThat(expired.revision()).isEqualTo(1);
        }
    }

    @Test
    void backoffSettingsAreChecked() {
        assertThatThrownBy(() -> CertificateManager.builder().failureBackoff(Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> CertificateManager.builder().failureBackoff(Duration.ofHours(2), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raise max");
        assertThatThrownBy(() -> CertificateManager.builder().concurrency(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..256");
        assertThatThrownBy(() -> cert().fallbackIssuerRefs(IssuerRef.clusterIssuer("ca")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeat issuerRef ca");
    }

    @Test
    void aFallbackIssuerThatIsNotConfiguredIsRefusedWhenManaged() {
        try (CertificateManager manager = manager()) {
            Certificate spec = cert().fallbackIssuerRefs(IssuerRef.clusterIssuer("zerossl")).build();
            assertThatThrownBy(() -> manager.manage(spec)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("zerossl");
        }
    }

    @Test
    void closeStopsTheSchedulerThreadAndAClosedManagerCannotStartAgain() throws Exception {
        CertificateManager manager = manager();
        manager.manage(cert().build());
        manager.start();
        Thread scheduler = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("autocert4j-scheduler") && t.isAlive()).findFirst().orElseThrow();

        manager.close();

        assertThat(scheduler.isAlive()).isFalse();
        assertThatThrownBy(manager::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aRenewalTimeAlreadyPastRightAfterIssuanceIsPutOffSoNothingIsIssuedBackToBack() throws Exception {
        // a CA whose suggested window is already over: every new certificate would be due at once
        issuer.window = new RenewalWindow(clock.instant().minus(Duration.ofDays(2)), clock.instant().minus(Duration.ofDays(1)));
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            assertThat(manager.runDue()).isEqualTo(1);
            StoredCertificate first = store.load(spec).orElseThrow();

            // 90 days of lifetime: 10 % is more than an hour, so the floor is an hour after issuance
            Instant floor = first.metadata().issuedAt().plus(Duration.ofHours(1));
            assertThat(manager.nextCheck(spec)).contains(floor);
            assertThat(manager.status(spec).renewalTime()).contains(floor);
            assertThat(manager.runDue()).isZero();
            assertThat(manager.obtain(spec).leaf().getSerialNumber()).isEqualTo(first.leaf().getSerialNumber());
            assertThat(issuer.calls).hasValue(1);

            clock.set(floor);
            assertThat(manager.runDue()).isEqualTo(1);
            assertThat(issuer.calls).hasValue(2);
            assertThat(manager.nextCheck(spec)).contains(floor.plus(Duration.ofHours(1)));
        }
    }

    @Test
    void aShortLivedCertificateWaitsATenthOfItsLifetimeButAtLeastAMinute() throws Exception {
        issuer.window = new RenewalWindow(clock.instant().minus(Duration.ofDays(2)), clock.instant().minus(Duration.ofDays(1)));
        issuer.validity = Duration.ofMinutes(30);
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            StoredCertificate first = store.load(spec).orElseThrow();
            assertThat(manager.nextCheck(spec)).contains(first.metadata().issuedAt().plus(Duration.ofMinutes(3)));

            issuer.validity = Duration.ofMinutes(5);
            Certificate api = Certificate.builder("api").dnsNames("api.example.com").issuerRef(IssuerRef.clusterIssuer("ca")).build();
            manager.manage(api);
            manager.runDue();
            StoredCertificate shortLived = store.load(api).orElseThrow();
            assertThat(manager.nextCheck(api)).contains(shortLived.metadata().issuedAt().plus(Duration.ofMinutes(1)));
        }
    }

    @Test
    void aCertificateThatExpiresBeforeTheFloorIsRenewedAtItsExpiryNotLater() throws Exception {
        issuer.validity = Duration.ofSeconds(30); // shorter than the one-minute floor
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            StoredCertificate first = store.load(spec).orElseThrow();

            assertThat(manager.status(spec).renewalTime()).contains(first.notAfter());
            assertThat(manager.nextCheck(spec)).contains(first.notAfter());

            clock.set(first.notAfter());
            assertThat(manager.runDue()).isEqualTo(1);
            assertThat(issuer.calls).hasValue(2);
        }
    }

    @Test
    void aStoreWithoutFailureRecordsHasItsFailuresKeptInMemoryForTheManagersLife() throws Exception {
        InMemoryCertificateStore certificates = new InMemoryCertificateStore();
        store = new CertificateStore() { // only the required methods: no FailureRecords
            @Override
            public java.util.Optional<StoredCertificate> load(Certificate certificate) throws dev.autocert4j.store.StoreException {
                return certificates.load(certificate);
            }

            @Override
            public void save(Certificate certificate, StoredCertificate stored) throws dev.autocert4j.store.StoreException {
                certificates.save(certificate, stored);
            }
        };
        issuer.fail = true;
        Certificate spec = cert().build();
        try (CertificateManager manager = manager()) {
            manager.manage(spec);
            manager.runDue();
            CertificateStatus status = manager.status(spec);
            assertThat(status.failedIssuanceAttempts()).isEqualTo(1);
            assertThat(status.issuing().reason()).isEqualTo("Failed");
            assertThat(status.nextAttempt()).contains(clock.instant().plus(Duration.ofHours(1)));

            clock.advance(Duration.ofMinutes(59));
            manager.runDue();
            assertThat(issuer.calls).as("held back by the failure kept in memory").hasValue(1);

            try (CertificateManager restarted = manager()) {
                assertThat(restarted.status(spec).failedIssuanceAttempts()).as("memory only: a restart forgets").isZero();
            }
            clock.advance(Duration.ofMinutes(1));
            manager.runDue();
            assertThat(issuer.calls).hasValue(2);
            assertThat(manager.status(spec).failedIssuanceAttempts()).isEqualTo(2);
        }
    }

    @Test
    void manageAfterCloseThrowsAsDocumentedAndManagesNothing() {
        CertificateManager manager = manager();
        manager.close();

        assertThatThrownBy(() -> manager.manage(cert().build())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed").hasMessageContaining("default/www");
        assertThat(manager.managedCertificates()).isEmpty();
        assertThat(manager.runDue()).isZero();
        assertThat(issuer.calls.get()).isZero();
    }
}
