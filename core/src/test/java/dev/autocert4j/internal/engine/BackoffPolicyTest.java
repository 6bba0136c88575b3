package dev.autocert4j.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.store.InMemoryCertificateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
    private final BackoffPolicy policy = new BackoffPolicy(new InMemoryCertificateStore(),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), Duration.ofHours(1), Duration.ofHours(32));

    @Test
    void doublesFromTheInitialWaitPerFailureUpToTheMaximum() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofHours(2));
        assertThat(policy.backoff(6)).isEqualTo(Duration.ofHours(32));
        assertThat(policy.backoff(7)).isEqualTo(Duration.ofHours(32));
        assertThat(policy.backoff(1000)).isEqualTo(Duration.ofHours(32));
    }
}
