package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder refuses each bad setting at once, naming the setting and what to change, and keeps the good ones. */
class CertificateManagerSettingsTest {
    private final CountingIssuer ca = new CountingIssuer("ca", IssuerScope.cluster());

    @Test
    void anIssuerOfTheSameNameAndScopeIsRefusedButTheSameNameInAnotherScopeIsNot() {
        CertificateManager.Builder builder = CertificateManager.builder().issuer(ca);

        assertThatThrownBy(() -> builder.issuer(new CountingIssuer("ca", IssuerScope.cluster())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("issuer ca (ClusterIssuer) is configured twice: give each issuer a distinct name");
        builder.issuer(new CountingIssuer("ca", IssuerScope.namespaced("team")));
        assertThat(builder.store(new InMemoryCertificateStore()).build()).isNotNull();
    }

    @Test
    void aLockTimeoutThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> CertificateManager.builder().lockTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lockTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> CertificateManager.builder().lockTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("lockTimeout");
    }

    @Test
    void aFailureBackoffWhoseMaxIsShorterThanItsInitialWaitIsRefused() {
        assertThatThrownBy(() -> CertificateManager.builder().failureBackoff(Duration.ofHours(2), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureBackoff max PT1H is shorter than initial PT2H: raise max");
        assertThatThrownBy(() -> CertificateManager.builder().failureBackoff(Duration.ofSeconds(-1), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureBackoff initial must be positive, was PT-1S");
    }

    @Test
    void aRefusedFailureBackoffLeavesTheSettingFreeToBeSetRight() {
        CertificateManager.Builder builder = CertificateManager.builder();
        assertThatThrownBy(() -> builder.failureBackoff(Duration.ofHours(2), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);

        builder.failureBackoff(Duration.ofMinutes(5), Duration.ofHours(1));

        assertThatThrownBy(() -> builder.failureBackoff(Duration.ofMinutes(5), Duration.ofHours(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("failureBackoff was already set on this builder: set it once");
    }

    @Test
    void aConcurrencyOutsideOneTo256IsRefused() {
        assertThatThrownBy(() -> CertificateManager.builder().concurrency(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("concurrency must be within 1..256, was 0");
        assertThatThrownBy(() -> CertificateManager.builder().concurrency(257))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("concurrency must be within 1..256, was 257");
        assertThat(CertificateManager.builder().concurrency(256)).isNotNull();
    }

    @Test
    void aRenewalInfoIntervalUnderASecondIsRefused() {
        assertThatThrownBy(() -> CertificateManager.builder().renewalInfoInterval(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("renewalInfoInterval must be at least a second, was PT0.999S");
    }
}
