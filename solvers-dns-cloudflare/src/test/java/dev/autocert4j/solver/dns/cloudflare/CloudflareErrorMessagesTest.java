package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cloudflare's refusals read as what to change. */
class CloudflareErrorMessagesTest {
    private static final String KEY = dev.autocert4j.testing.support.KnownSecrets.register("0123456789abcdef0123456789abcdef0msg");
    private static final TxtRecord RECORD = new TxtRecord("_acme-challenge.www.example.test", "example.test", "value-1",
            Duration.ofSeconds(60));

    private CloudflareEmulator api;

    @BeforeEach
    void start() throws Exception {
        api = new CloudflareEmulator(null).zone("example.test").globalKey("ops@example.test", KEY);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aWrongEmailWithTheRightGlobalKeyReadsAsAnEmailProblemNotAMissingPermission() {
        DnsProvider p = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiKey(KEY, "typo@example.test").build();

        assertThatThrownBy(() -> p.createTxtRecord(RECORD)).isInstanceOf(SolverException.class)
                .hasMessageContaining("does not accept the email typo@example.test")
                .hasMessageContaining("Check the email first")
                .hasMessageContaining("[9103]")
                .hasMessageNotContaining("lacks the permission")
                .hasMessageNotContaining(KEY);
    }
}
