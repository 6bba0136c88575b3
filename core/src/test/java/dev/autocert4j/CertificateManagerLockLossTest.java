package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.lock.LockLostException;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A lock lost while the certificate was ordered: nothing is saved, and the caller may retry. */
class CertificateManagerLockLossTest {
    private final CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    /** Set while the issuer runs, as a Lease that could not be renewed in time would be. */
    private final AtomicBoolean lost = new AtomicBoolean();

    private final LockProvider losingLocks = (name, timeout) -> new LockProvider.Lock() {
        @Override
        public boolean isHeld() {
            return !lost.get();
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "test lock " + name;
        }
    };

    private static Certificate cert() {
        return Certificate.builder("www").dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("ca")).build();
    }

    @Test
    void aLockLostWhileIssuingSavesNothingAndFailsRetryably() throws Exception {
        CertificateManager manager = CertificateManager.builder().issuer(new LosingLockIssuer()).store(store)
                .lockProvider(losingLocks).build();

        assertThatThrownBy(() -> manager.obtain(cert()))
                .isInstanceOf(LockLostException.class)
                .hasMessageContaining("certificate/default/www")
                .hasMessageContaining("not saved")
                .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).isTrue());
        assertThat(issuer.calls).hasValue(1);
        assertThat(store.load(cert())).isEmpty();

        // Held again on the next attempt: that one saves.
        lost.set(false);
        manager.obtain(cert());
        assertThat(store.load(cert())).isPresent();
    }

    @Test
    void locksThatCannotBeLostAreHeldByDefault() throws Exception {
        try (LockProvider.Lock lock = LockProvider.inJvm().acquire("certificate/default/www", Duration.ZERO)) {
            assertThat(lock.isHeld()).isTrue();
        }
    }

    /** Issues through the counting issuer; the lock is lost during the call. */
    private final class LosingLockIssuer implements Issuer {
        @Override
        public String name() {
            return issuer.name();
        }

        @Override
        public IssuerScope scope() {
            return issuer.scope();
        }

        @Override
        public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) throws AutocertException {
            List<X509Certificate> chain = issuer.issue(request, context);
            if (issuer.calls.get() == 1) {
                lost.set(true);
            }
            return chain;
        }
    }
}
