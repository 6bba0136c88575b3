package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.CertificateStatus.ConditionStatus;
import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.support.MovableClock;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link CertificateManager#status} says what {@code kubectl describe certificate} would: the README's condition
 * reasons, each in the state that produces it, with the stored certificate's validity.
 */
class CertificateStatusTest {
    private final CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
    private final MovableClock clock = new MovableClock();
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();

    private CertificateManager manager(Issuer issuing) {
        return CertificateManager.builder().issuer(issuing).store(store).clock(clock).build();
    }

    private static Certificate.Builder cert() {
        return Certificate.builder("www").dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("ca"));
    }

    @Test
    void aFreshCertificateIsReadyAndUpToDateWithTheStoredValidity() throws Exception {
        Certificate spec = cert().build();
        try (CertificateManager manager = manager(issuer)) {
            StoredCertificate stored = manager.obtain(spec);

            CertificateStatus status = manager.status(spec);

            assertThat(status.ready().status()).isEqualTo(ConditionStatus.TRUE);
            assertThat(status.ready().reason()).isEqualTo("Ready");
            assertThat(status.issuing().status()).isEqualTo(ConditionStatus.FALSE);
            assertThat(status.issuing().reason()).isEqualTo("UpToDate");
            assertThat(status.notBefore()).contains(stored.leaf().getNotBefore().toInstant());
            assertThat(status.notAfter()).contains(stored.leaf().getNotAfter().toInstant());
            assertThat(Duration.between(status.notBefore().orElseThrow(), status.notAfter().orElseThrow()))
                    .as("the test CA issues for 90 days").isEqualTo(Duration.ofDays(90));
        }
    }

    @Test
    void aCertificateDueForRenewalIsStillReadyAndRenewing() throws Exception {
        Certificate spec = cert().build();
        try (CertificateManager manager = manager(issuer)) {
            manager.obtain(spec);
            clock.set(manager.status(spec).renewalTime().orElseThrow());

            CertificateStatus status = manager.status(spec);

            assertThat(status.ready().reason()).isEqualTo("Ready");
            assertThat(status.issuing().status()).isEqualTo(ConditionStatus.TRUE);
            assertThat(status.issuing().reason()).isEqualTo("Renewing");
        }
    }

    @Test
    void aChangedSpecIsNotReadyWithSpecChangedAndRenewing() throws Exception {
        try (CertificateManager manager = manager(issuer)) {
            manager.obtain(cert().build());

            CertificateStatus status = manager.status(Certificate.builder("www")
                    .dnsNames("www.example.com", "api.example.com").issuerRef(IssuerRef.clusterIssuer("ca")).build());

            assertThat(status.ready().status()).isEqualTo(ConditionStatus.FALSE);
            assertThat(status.ready().reason()).isEqualTo("SpecChanged");
            assertThat(status.issuing().reason()).isEqualTo("Renewing");
            assertThat(status.notAfter()).as("the stored certificate is still described").isPresent();
        }
    }

    @Test
    void aRevokedCertificateIsNotReadyWithRevoked() throws Exception {
        Certificate spec = cert().build();
        try (CertificateManager manager = manager(issuer)) {
            manager.obtain(spec);
            manager.revoke(spec, RevocationReason.SUPERSEDED);

            CertificateStatus status = manager.status(spec);

            assertThat(status.ready().status()).isEqualTo(ConditionStatus.FALSE);
            assertThat(status.ready().reason()).isEqualTo("Revoked");
            assertThat(status.issuing().reason()).isEqualTo("Renewing");
        }
    }

    @Test
    void anIssuanceUnderWayIsIssuing() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Issuer held = new Issuer() {
            @Override
            public String name() {
                return issuer.name();
            }

            @Override
            public IssuerScope scope() {
                return issuer.scope();
            }

            @Override
            public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context)
                    throws AutocertException, InterruptedException {
                entered.countDown();
                release.await();
                return issuer.issue(request, context);
            }
        };
        Certificate spec = cert().build();
        try (CertificateManager manager = manager(held)) {
            CompletableFuture<StoredCertificate> obtaining = CompletableFuture.supplyAsync(() -> {
                try {
                    return manager.obtain(spec);
                } catch (AutocertException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertThat(entered.await(10, TimeUnit.SECONDS)).as("the issuer was called").isTrue();

                CertificateStatus status = manager.status(spec);

                assertThat(status.issuing().status()).isEqualTo(ConditionStatus.TRUE);
                assertThat(status.issuing().reason()).isEqualTo("Issuing");
                assertThat(status.ready().reason()).isEqualTo("DoesNotExist");
            } finally {
                release.countDown();
            }
            obtaining.get(10, TimeUnit.SECONDS);
            assertThat(manager.status(spec).issuing().reason()).isEqualTo("UpToDate");
        }
    }
}
