package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.testing.support.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ten thousand managed certificates: one scheduler thread, a bounded issuance pool, every certificate scheduled. */
class ManyManagedCertificatesTest {
    private static final int COUNT = 10_000;

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    @Test
    void tenThousandCertificatesRunOnOneSchedulerThread() throws Exception {
        CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
        MovableClock clock = new MovableClock();
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        List<Certificate> certificates = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            certificates.add(Certificate.builder("c" + i).dnsNames("c" + i + ".example.com")
                    .issuerRef(IssuerRef.clusterIssuer("ca")).build());
        }
        long schedulersBefore = threadsNamed("autocert4j-scheduler");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock)
                .concurrency(2).build()) {
            certificates.forEach(manager::manage);
            manager.start();

            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (issuer.calls.get() < COUNT && Instant.now().isBefore(deadline)) {
                assertThat(threadsNamed("autocert4j-scheduler") - schedulersBefore).isEqualTo(1);
                assertThat(threadsNamed("autocert4j-renewal-")).isLessThanOrEqualTo(2);
                Thread.sleep(50); // the pace of sampling the thread counts while the issuances run: the samples are the check
            }
            assertThat(issuer.calls).hasValue(COUNT);
            // Each certificate is checked again at its own renewal time, about 60 days on.
            Instant earliest = clock.instant().plus(Duration.ofDays(59));
            Instant latest = clock.instant().plus(Duration.ofDays(61));
            long waitForIdle = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (Certificate c : certificates) {
                while (manager.nextCheck(c).isEmpty() && System.nanoTime() < waitForIdle) {
                    Thread.sleep(10); // the last ones may still be finishing
                }
                assertThat(manager.nextCheck(c)).as(c.id()).hasValueSatisfying(t -> assertThat(t).isBetween(earliest, latest));
            }
            assertThat(issuer.calls).as("nothing ran twice").hasValue(COUNT);
        }
    }
}
