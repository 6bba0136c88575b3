package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.TxtRecord;
import dev.autocert4j.testing.support.KnownSecrets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CloudflareDnsProvider against an API that fails as the real one does after a write: created and then answered
 * 5xx, answered 504 with the write landing later (the retried POST then meets "identical record already exists",
 * 81058), and answers that come after the client's timeout.
 */
class CloudflareUnreliableApiTest {
    private static final String TOKEN = KnownSecrets.register("tok-unreliable-api-1234567890");
    private static final TxtRecord RECORD = new TxtRecord("_acme-challenge.www.example.test", "example.test",
            "value-unreliable", Duration.ofSeconds(60));
    /** Long enough for a loaded 2-core CI box to answer a prompt request well within it. */
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private CloudflareEmulator api;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = new CloudflareEmulator(null).zone("example.test").token(TOKEN);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private long posts() {
        return api.requests.stream().filter(r -> r.startsWith("POST")).count();
    }

    @Test
    void aRecordCreatedAndThenAnsweredWithAServerErrorIsCreatedOnceAndDeletedWithItsHandle() throws Exception {
        CloudflareDnsProvider p = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN)
                .sleeper(waits::add).build();
        api.failAfterCreateNext(1);

        String handle = p.createTxtRecord(RECORD);

        assertThat(api.txtRecords()).hasSize(1);
        assertThat(posts()).as("looked up, not posted again").isEqualTo(1);
        p.deleteTxtRecord(handle);
        assertThat(api.txtRecords()).isEmpty();
    }

    @Test
    void aRetriedPostThatMeetsTheIdenticalRecordOfTheLostAttemptTakesThatRecord() throws Exception {
        // 504 at once, the record lands before the retry: the lookup finds nothing, the retried POST gets 81058.
        CloudflareDnsProvider p = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN)
                .sleeper(pause -> {
                    waits.add(pause);
                    api.landLateCreates();
                }).build();
        api.createLateAfterGatewayTimeoutNext(1);

        String handle = p.createTxtRecord(RECORD);

        assertThat(posts()).as("the retried POST was sent").isEqualTo(2);
        assertThat(api.txtRecords()).hasSize(1);
        assertThat(handle).endsWith(":" + api.txtRecords().get(0).path("id").asText());
        p.deleteTxtRecord(handle);
        assertThat(api.txtRecords()).as("nothing left behind").isEmpty();
    }

    @Test
    void anAnswerSlowerThanTheRequestTimeoutIsLookedUpNotPostedAgain() throws Exception {
        CloudflareDnsProvider p = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN)
                .requestTimeout(TIMEOUT).sleeper(waits::add).build();
        p.zoneOf(RECORD.fqdn()); // the zone lookup is not what is slow here
        api.slowFromNextPost(TIMEOUT.multipliedBy(3), 1);

        String handle = p.createTxtRecord(RECORD);

        assertThat(api.txtRecords()).hasSize(1);
        assertThat(posts()).isEqualTo(1);
        p.deleteTxtRecord(handle);
        assertThat(api.txtRecords()).isEmpty();
    }

    @Test
    void anApiThatAlwaysAnswersTooLateFailsWithARetryableTimeoutAndItsRecordIsDeletableByContentLater() throws Exception {
        CloudflareDnsProvider p = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN)
                .requestTimeout(TIMEOUT).maxRetries(1).sleeper(waits::add).build();
        p.zoneOf(RECORD.fqdn());
        api.slowFromNextPost(TIMEOUT.multipliedBy(3), Integer.MAX_VALUE);

        assertThatThrownBy(() -> p.createTxtRecord(RECORD)).isInstanceOf(SolverException.class)
                .hasMessageContaining("No answer from Cloudflare").hasMessageContaining("timed out")
                .hasMessageNotContaining(TOKEN)
                .satisfies(e -> assertThat(((SolverException) e).isRetryable()).isTrue());

        // The POST did land. Once the API answers again, the solver's journal deletes it by content.
        api.answerPromptly();
        assertThat(api.txtRecords()).hasSize(1);
        p.deleteTxtRecords(RECORD.zone(), RECORD.fqdn(), RECORD.value());
        assertThat(api.txtRecords()).isEmpty();
    }
}
