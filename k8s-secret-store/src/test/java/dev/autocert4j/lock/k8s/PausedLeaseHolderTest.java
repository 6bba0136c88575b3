package dev.autocert4j.lock.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.lock.LockLostException;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.ConditionalSave;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.TestCertificates;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A replica stalls while it orders, or in the middle of its save (its renewal thread is blocked too, as in a
 * long GC pause or a frozen VM), until another replica has taken the Lease: the stalled one saves nothing,
 * and the other replica's certificate stays.
 */
class PausedLeaseHolderTest {
    private static final Duration LEASE = Duration.ofSeconds(2);

    @Test
    @SuppressWarnings("try") // the rival's lock is held by the try block
    void aHolderPausedPastTheLeaseDurationSavesNothing() throws Exception {
        Certificate cert = TestCertificates.certificate("web", "www", "www.example.test");
        CountingIssuer issuer = new CountingIssuer(Duration.ZERO);
        try (KubernetesMockApi api = new KubernetesMockApi();
                KubernetesLeaseLockProvider paused = KubernetesLeaseLockProvider.builder(api.client()).namespace("locks")
                        .holderIdentity("paused").leaseDuration(LEASE).build();
                KubernetesLeaseLockProvider rival = KubernetesLeaseLockProvider.builder(api.client()).namespace("locks")
                        .holderIdentity("rival").leaseDuration(LEASE).build()) {
            KubernetesSecretStore store = KubernetesSecretStore.of(api.client());
            CountDownLatch resume = new CountDownLatch(1);
            paused.beforeRenewalRound = () -> {
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            AtomicReference<LockProvider.Lock> rivalLock = new AtomicReference<>();
            issuer.duringOrder = () -> {
                try {
                    // The rival sees the Lease unchanged for a lease duration and takes it.
                    rivalLock.set(rival.acquire("certificate/web/www", Duration.ofSeconds(30)));
                } catch (AutocertException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).lockProvider(paused)
                    .build();

            assertThatThrownBy(() -> manager.obtain(cert)).isInstanceOf(LockLostException.class)
                    .hasMessageContaining("not saved");
            assertThat(issuer.orders).hasValue(1);
            assertThat(rivalLock.get()).isNotNull();
            assertThat(api.inspector().secrets().inNamespace("web").withName(cert.secretName()).get())
                    .as("the paused holder's Secret").isNull();
            assertThat(api.inspector().leases().inNamespace("locks").withName(LeaseNames.leaseName("certificate/web/www"))
                    .get().getSpec().getHolderIdentity()).isEqualTo("rival");

            // Resumed, and the rival done: the next attempt takes the lock again and saves.
            resume.countDown();
            rivalLock.get().close();
            issuer.duringOrder = () -> { };
            manager.obtain(cert);
            assertThat(issuer.orders).hasValue(2);
            assertThat(api.inspector().secrets().inNamespace("web").withName(cert.secretName()).get()).isNotNull();
            assertThat(resume.await(0, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aHolderWhoseSaveResumesAfterARivalTookOverLeavesTheRivalsCertificate() throws Exception {
        Certificate cert = TestCertificates.certificate("web", "www", "www.example.test");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (KubernetesMockApi api = new KubernetesMockApi();
                KubernetesLeaseLockProvider paused = KubernetesLeaseLockProvider.builder(api.client()).namespace("locks")
                        .holderIdentity("paused").leaseDuration(LEASE).build();
                KubernetesLeaseLockProvider rival = KubernetesLeaseLockProvider.builder(api.client()).namespace("locks")
                        .holderIdentity("rival").leaseDuration(LEASE).build()) {
            CountDownLatch inSave = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            paused.beforeRenewalRound = () -> awaitQuietly(resume);
            CertificateManager pausedManager = CertificateManager.builder().issuer(new CountingIssuer(Duration.ZERO))
                    .store(new PausingStore(KubernetesSecretStore.of(api.client()), inSave, resume)).lockProvider(paused).build();
            Future<StoredCertificate> pausedObtain = pool.submit(() -> pausedManager.obtain(cert));
            assertThat(inSave.await(30, TimeUnit.SECONDS)).as("the paused holder reached its save").isTrue();

            // The rival sees the Lease unchanged for a lease duration, takes it, issues and saves.
            StoredCertificate rivals = CertificateManager.builder().issuer(new CountingIssuer(Duration.ZERO))
                    .store(KubernetesSecretStore.of(api.client())).lockProvider(rival).build().obtain(cert);
            resume.countDown();

            assertThatThrownBy(() -> pausedObtain.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LockLostException.class).hasMessageContaining("not saved")
                    .cause().hasMessageContaining("saved by another writer");
            assertThat(KubernetesSecretStore.of(api.client()).load(cert).orElseThrow().leaf()).as("the stored certificate")
                    .isEqualTo(rivals.leaf());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A store whose saves stop dead until resumed, right after the manager checked its lock. */
    private static final class PausingStore implements CertificateStore, ConditionalSave {
        private final KubernetesSecretStore delegate;
        private final CountDownLatch inSave;
        private final CountDownLatch resume;

        PausingStore(KubernetesSecretStore delegate, CountDownLatch inSave, CountDownLatch resume) {
            this.delegate = delegate;
            this.inSave = inSave;
            this.resume = resume;
        }

        @Override
        public Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
            return delegate.load(certificate);
        }

        @Override
        public void save(Certificate certificate, StoredCertificate stored) throws StoreException {
            pause();
            delegate.save(certificate, stored);
        }

        @Override
        public void saveIfUnchanged(Certificate certificate, Optional<StoredCertificate> expected, StoredCertificate stored)
                throws StoreException {
            pause();
            delegate.saveIfUnchanged(certificate, expected, stored);
        }

        private void pause() {
            inSave.countDown();
            awaitQuietly(resume);
        }
    }
}
