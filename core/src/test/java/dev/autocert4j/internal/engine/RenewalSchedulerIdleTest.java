package dev.autocert4j.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.testing.support.ReadmeFigures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The issuance threads end when idle, after the time the README states ("each ends after a minute without work"). */
class RenewalSchedulerIdleTest {
    @Test
    void issuanceThreadsEndAfterTheIdleTimeTheReadmeStates() {
        String figure = ReadmeFigures.figure("issuance threads \\(\\d+ if unset\\) that exist only while issuing: each ends after "
                + "(a|\\d+) minutes? without work");
        Duration documented = Duration.ofMinutes(figure.equals("a") ? 1 : Long.parseLong(figure));
        try (RenewalScheduler scheduler = new RenewalScheduler(Clock.systemUTC(), key -> Instant.MAX, 4)) {
            scheduler.start();
            ThreadPoolExecutor pool = scheduler.pool();

            assertThat(pool.allowsCoreThreadTimeOut()).as("even the core threads end").isTrue();
            assertThat(Duration.ofMillis(pool.getKeepAliveTime(TimeUnit.MILLISECONDS))).isEqualTo(documented);
            assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
        }
    }
}
