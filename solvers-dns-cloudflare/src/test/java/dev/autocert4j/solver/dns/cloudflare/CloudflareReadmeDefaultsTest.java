package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import dev.autocert4j.testing.support.KnownSecrets;
import dev.autocert4j.testing.support.ReadmeFigures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's defaults as the README states them ("5xx is retried three times"; TTL 120), read from the
 * README's sentence and compared with a provider built without those settings, against the emulator.
 */
class CloudflareReadmeDefaultsTest {
    private static final String TOKEN = KnownSecrets.register("tok-readme-defaults-1234567890");
    private static final TxtRecord RECORD = new TxtRecord("_acme-challenge.www.example.test", "example.test",
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", Duration.ofSeconds(60));

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

    @Test
    void withoutSettingsAServerErrorIsRetriedAsOftenAsTheReadmeSays() {
        int documented = ReadmeFigures.number(ReadmeFigures.figure("5xx is retried (\\w+) times"));
        DnsProvider p = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN).sleeper(waits::add).build();
        api.failNext(100);

        assertThatThrownBy(() -> p.createTxtRecord(RECORD)).isInstanceOf(SolverException.class).hasMessageContaining("500");

        assertThat(api.faultsServed).as("the first call and its retries").hasValue(1 + documented);
        assertThat(waits).hasSize(documented);
    }

    @Test
    void withoutSettingsRecordsGetTheReadmesTtl() throws Exception {
        int documented = Integer.parseInt(ReadmeFigures.figure("Records get TTL (\\d+) and quoted content"));
        DnsProvider p = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN).build();

        p.createTxtRecord(RECORD);

        assertThat(api.txtRecords()).singleElement().satisfies(r -> assertThat(r.path("ttl").asInt()).isEqualTo(documented));
    }
}
