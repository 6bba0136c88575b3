package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.support.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's renewal spread: a renewal is made earlier by up to 1 % of the lifetime (at most an
 * hour), differently for each certificate, so that certificates issued together do not all renew
 * together, and the same on every replica, so that replicas agree on when a certificate is due.
 * A range check alone ({@code isBetween(twoThirds - 1h, twoThirds)}) would pass with no spread at
 * all; these tests assert the spread itself.
 */
class RenewalSpreadTest {
    private static final int CERTIFICATES = 20;

    private final CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
    private final MovableClock clock = new MovableClock();

    @TempDir
    Path root;

    private CertificateManager manager() {
        return CertificateManager.builder().issuer(issuer).store(FileCertificateStore.of(root)).clock(clock).build();
    }

    private static List<Certificate> certificates() {
        return IntStream.range(0, CERTIFICATES).mapToObj(i -> Certificate.builder("site-" + i).dnsNames("site-" + i + ".example.com")
                .issuerRef(IssuerRef.clusterIssuer("ca")).build()).toList();
    }

    private static Instant twoThirds(StoredCertificate s) {
        return s.notBefore().plus(Duration.between(s.notBefore(), s.notAfter()).multipliedBy(2).dividedBy(3));
    }

    /** Issues every certificate at the same instant and returns how much earlier than 2/3 each renews. */
    private List<Duration> earlierThanTwoThirds(CertificateManager manager, List<Certificate> specs) throws Exception {
        for (Certificate spec : specs) {
            manager.manage(spec);
        }
        assertThat(manager.runDue()).isEqualTo(specs.size());
        List<Duration> earlier = new ArrayList<>();
        for (Certificate spec : specs) {
            StoredCertificate stored = manager.store().load(spec).orElseThrow();
            earlier.add(Duration.between(manager.status(spec).renewalTime().orElseThrow(), twoThirds(stored)));
        }
        return earlier;
    }

    @Test
    void certificatesIssuedTogetherRenewAtDifferentTimesSpreadOverTheHourBeforeTwoThirds() throws Exception {
        try (CertificateManager manager = manager()) {
            List<Duration> earlier = earlierThanTwoThirds(manager, certificates());

            assertThat(earlier).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofHours(1)));
            assertThat(earlier).as("one renewal time per certificate").doesNotHaveDuplicates();
            Duration spread = earlier.stream().max(Duration::compareTo).orElseThrow()
                    .minus(earlier.stream().min(Duration::compareTo).orElseThrow());
            assertThat(spread).as("20 certificates issued together spread over most of the hour").isGreaterThan(Duration.ofMinutes(30));
        }
    }

    @Test
    void theSpreadOfAShortLivedCertificateIsAtMostOnePercentOfItsLifetime() throws Exception {
        issuer.validity = Duration.ofDays(1); // 1 % is 14 min 24 s, less than the hour
        try (CertificateManager manager = manager()) {
            List<Duration> earlier = earlierThanTwoThirds(manager, certificates());

            Duration onePercent = Duration.ofDays(1).dividedBy(100);
            assertThat(earlier).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, onePercent));
            assertThat(earlier).doesNotHaveDuplicates();
            Duration spread = earlier.stream().max(Duration::compareTo).orElseThrow()
                    .minus(earlier.stream().min(Duration::compareTo).orElseThrow());
            assertThat(spread).isGreaterThan(onePercent.dividedBy(2));
        }
    }

    @Test
    void everyReplicaAndEveryRestartRenewsACertificateAtTheSameTime() throws Exception {
        List<Certificate> specs = certificates();
        List<Instant> issuerView = new ArrayList<>();
        try (CertificateManager issuing = manager()) {
            List<Duration> earlier = earlierThanTwoThirds(issuing, specs);
            assertThat(earlier).as("the spread is there to agree on").doesNotHaveDuplicates();
            for (Certificate spec : specs) {
                issuerView.add(issuing.status(spec).renewalTime().orElseThrow());
            }
        }
        clock.advance(Duration.ofDays(3));
        // Two other replicas, each with its own store object over the same directory, and later a restart.
        for (int replica = 0; replica < 3; replica++) {
            try (CertificateManager other = manager()) {
                List<Instant> view = new ArrayList<>();
                for (Certificate spec : specs) {
                    other.manage(spec);
                    view.add(other.status(spec).renewalTime().orElseThrow());
                }
                other.runDue(); // its first check of each: finds the stored certificate, orders nothing
                assertThat(view).as("renewal times seen by replica %s", replica).isEqualTo(issuerView);
                for (int i = 0; i < specs.size(); i++) {
                    assertThat(other.nextCheck(specs.get(i))).as("when replica %s checks %s", replica, specs.get(i).name())
                            .contains(issuerView.get(i));
                }
            }
        }
        assertThat(issuer.calls).as("only the first replica ordered").hasValue(CERTIFICATES);
    }
}
