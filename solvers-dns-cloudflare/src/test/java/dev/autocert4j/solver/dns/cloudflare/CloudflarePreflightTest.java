package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.PreflightException;
import dev.autocert4j.testing.support.KnownSecrets;
import dev.autocert4j.testing.support.MovableClock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CloudflareDnsProvider's preflight against the Cloudflare emulator: how long a credential check is remembered (on
 * an injected clock), and the global API key's check, {@code GET /user}.
 */
class CloudflarePreflightTest {
    private static final String TOKEN = KnownSecrets.register("tok-preflight-cache-0123456789");
    private static final String EMAIL = "ops@example.test";
    private static final String GLOBAL_KEY = KnownSecrets.register("0123456789abcdef0123456789abcdef01234");
    private static final String WRONG_KEY = KnownSecrets.register("fedcba9876543210fedcba9876543210fedcb");

    private final MovableClock clock = new MovableClock();
    private CloudflareEmulator api;

    @BeforeEach
    void start() throws Exception {
        api = new CloudflareEmulator(null).zone("example.test").token(TOKEN).globalKey(EMAIL, GLOBAL_KEY);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private long requests(String request) {
        return api.requests().stream().filter(request::equals).count();
    }

    @Test
    void aGoodTokenIsVerifiedOnceWithinTenMinutesAndAgainAfter() throws Exception {
        CloudflareDnsProvider provider = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN)
                .clock(clock).build();

        provider.preflight(Set.of("example.test"));
        clock.advance(CloudflarePreflight.REMEMBERED);
        provider.preflight(Set.of("example.test"));

        assertThat(requests("GET user/tokens/verify")).as("verifications within 10 minutes").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        provider.preflight(Set.of("example.test"));

        assertThat(requests("GET user/tokens/verify")).as("verifications after 10 minutes").isEqualTo(2);
    }

    @Test
    void aGlobalKeyIsCheckedWithGetUserAndAWrongOneIsRefusedBeforeTheOrder() throws Exception {
        CloudflareDnsProvider good = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiKey(GLOBAL_KEY, EMAIL)
                .clock(clock).build();
        good.preflight(Set.of("example.test"));

        assertThat(requests("GET user")).isEqualTo(1);
        assertThat(requests("GET user/tokens/verify")).as("a global key is no token").isZero();

        CloudflareDnsProvider wrong = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiKey(WRONG_KEY, EMAIL)
                .clock(clock).build();
        assertThatThrownBy(() -> wrong.preflight(Set.of("example.test"))).isInstanceOf(PreflightException.class)
                .hasMessageContaining("Cloudflare does not accept the global API key")
                .hasMessageContaining("nothing was ordered")
                .hasMessageNotContaining(WRONG_KEY);
        assertThat(requests("GET user")).isEqualTo(2);
        assertThat(api.requests()).as("nothing written").noneMatch(r -> r.startsWith("POST ") || r.startsWith("DELETE "));
    }
}
