package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.issuer.RenewalWindow;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.testing.support.MovableClock;
import dev.autocert4j.testing.support.ReadmeFigures;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The manager's defaults as the README states them: each figure is read from the README's sentence and compared
 * with what the code does without the setting, so that neither changes without the other.
 */
class ReadmeDefaultsTest {
    @Test
    void aManagerWithoutConcurrencyIssuesWithAsManyThreadsAsTheReadmeSays() {
        int documented = Integer.parseInt(ReadmeFigures.figure("a pool of concurrency\\(n\\) issuance threads \\((\\d+) if unset\\)"));

        assertThat(CertificateManager.Builder.DEFAULT_CONCURRENCY).isEqualTo(documented);
    }

    @Test
    void aCaWithRenewalInformationIsAskedAgainAfterTheIntervalTheReadmeSays() throws Exception {
        Duration documented = Duration.ofHours(Long.parseLong(ReadmeFigures.figure(
                "A CA that offers ACME Renewal Information \\(ARI\\) is asked every (\\d+) hours \\(renewalInfoInterval\\)")));
        MovableClock clock = new MovableClock();
        CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
        Instant window = clock.instant().plus(Duration.ofDays(60));
        issuer.window = new RenewalWindow(window, window.plus(Duration.ofDays(1)));
        Certificate spec = Certificate.builder("www").dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("ca")).build();
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(new InMemoryCertificateStore())
                .clock(clock).build()) {
            manager.manage(spec);
            manager.runDue();

            assertThat(manager.nextCheck(spec)).as("the next question to the CA").contains(clock.instant().plus(documented));
        }
    }
}
