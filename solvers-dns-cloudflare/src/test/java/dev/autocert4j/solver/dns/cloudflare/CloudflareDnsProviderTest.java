package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.DnsProviders;
import dev.autocert4j.solver.dns.TxtRecord;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CloudflareDnsProvider against the API emulator (no DNS server behind it). */
class CloudflareDnsProviderTest {
    private static final String TOKEN = dev.autocert4j.testing.support.KnownSecrets.register("tok-dns-and-zone-1234567890");
    private static final String KEY = dev.autocert4j.testing.support.KnownSecrets.register("0123456789abcdef0123456789abcdef01234");
    private static final String EMAIL = "ops@example.test";
    private static final TxtRecord RECORD = new TxtRecord("_acme-challenge.www.example.test", "example.test", "value-1",
            Duration.ofSeconds(60));

    private CloudflareEmulator api;
    /** The pauses the provider asked for, instead of sleeping them. */
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = new CloudflareEmulator(null).zone("other.test").zone("example.test").token(TOKEN).globalKey(EMAIL, KEY);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CloudflareDnsProvider.Builder provider() {
        return CloudflareDnsProvider.builder().baseUrl(api.baseUrl());
    }

    @Test
    void createsAQuotedTxtRecordWithTtl120AndDeletesExactlyIt() throws Exception {
        api.seedTxt("example.test", "_acme-challenge.www.example.test", "\"v=spf1 -all\"");
        DnsProvider p = provider().apiToken(TOKEN).build();

        String handle = p.createTxtRecord(RECORD);

        assertThat(api.txtRecords()).anySatisfy(r -> {
            assertThat(r.path("name").asText()).isEqualTo("_acme-challenge.www.example.test");
            assertThat(r.path("content").asText()).isEqualTo("\"value-1\"");
            assertThat(r.path("ttl").asInt()).isEqualTo(120);
        });
        p.deleteTxtRecord(handle);
        assertThat(api.txtRecords()).extracting(r -> r.path("content").asText()).containsExactly("\"v=spf1 -all\"");
        assertThat(api.requests).contains("GET zones", "POST zones/" + handle.split(":")[2] + "/dns_records");
    }

    @Test
    void worksWithTheGlobalApiKeyAndEmail() throws Exception {
        DnsProvider p = provider().apiKey(KEY, EMAIL).build();

        p.deleteTxtRecord(p.createTxtRecord(RECORD));

        assertThat(api.txtRecords()).isEmpty();
        assertThat(p.id()).endsWith("/" + EMAIL);
    }

    @Test
    void findsAnIdenticalExistingRecordOnALaterPageAndCreatesNothing() throws Exception {
        for (int i = 0; i < CloudflareEmulator.MAX_PER_PAGE + 2; i++) {
            api.seedTxt("example.test", RECORD.fqdn(), "\"other-" + i + "\"");
        }
        api.seedTxt("example.test", RECORD.fqdn(), "\"value-1\"");
        DnsProvider p = provider().apiToken(TOKEN).build();

        String handle = p.createTxtRecord(RECORD);

        assertThat(handle).isEqualTo(DnsProvider.EXISTING_RECORD);
        assertThat(api.txtRecords()).hasSize(CloudflareEmulator.MAX_PER_PAGE + 3);
        assertThat(api.requests.stream().filter(r -> r.startsWith("GET zones/")).count()).as("pages read").isEqualTo(2);
    }

    @Test
    void aWrongTokenIsRefusedWithTheMissingPermissionAndWithoutTheToken() {
        String wrong = "tok-wrong-0987654321";
        DnsProvider p = provider().apiToken(wrong).build();

        assertThatThrownBy(() -> p.createTxtRecord(RECORD)).isInstanceOf(SolverException.class)
                .hasMessageContaining("403").hasMessageContaining("Zone → Zone → Read").hasMessageContaining("10000")
                .hasMessageNotContaining(wrong);
        assertThat(p.toString()).doesNotContain(wrong);
    }

    @Test
    void aWrongGlobalKeyIsRefusedWithCloudflaresMessage() {
        DnsProvider p = provider().apiKey("wrong-key-123", EMAIL).build();

        assertThatThrownBy(() -> p.createTxtRecord(RECORD)).isInstanceOf(SolverException.class)
                .hasMessageContaining("Unknown X-Auth-Key or X-Auth-Email").hasMessageNotContaining("wrong-key-123");
    }

    @Test
    void usesTheZoneTokenForZoneLookupsOnly() throws Exception {
        api.dnsOnlyToken("tok-dns-only-111111").zoneReadToken("tok-zone-only-222222");
        DnsProvider dnsOnly = provider().apiToken("tok-dns-only-111111").build();
        assertThatThrownBy(() -> dnsOnly.createTxtRecord(RECORD)).hasMessageContaining("Zone → Zone → Read");

        DnsProvider split = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken("tok-dns-only-111111")
                .zoneToken("tok-zone-only-222222").build();
        split.deleteTxtRecord(split.createTxtRecord(RECORD));

        assertThat(api.txtRecords()).isEmpty();
    }

    @Test
    void retriesServerErrorsWithGrowingPausesAndHonoursRetryAfterWithoutSleeping() throws Exception {
        DnsProvider p = provider().apiToken(TOKEN).sleeper(waits::add).build();
        api.failNext(3);

        String handle = p.createTxtRecord(RECORD);
        api.rateLimitNext(1, Duration.ofSeconds(7));
        long start = System.nanoTime();
        p.deleteTxtRecord(handle);

        assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofSeconds(7));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the 7 s were not slept").isLessThan(Duration.ofSeconds(5));
        assertThat(api.faultsServed).hasValue(4);
        assertThat(api.txtRecords()).isEmpty();
    }

    @Test
    void givesUpAfterABoundedNumberOfServerErrors() {
        DnsProvider p = provider().apiToken(TOKEN).maxRetries(2).sleeper(waits::add).build();
        api.failNext(10);

        assertThatThrownBy(() -> p.createTxtRecord(RECORD)).isInstanceOf(SolverException.class)
                .hasMessageContaining("500").hasMessageContaining("3 times")
                .satisfies(e -> assertThat(((SolverException) e).isRetryable()).isTrue());
        assertThat(api.faultsServed).hasValue(3);
        assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void givesUpAfterABoundedNumberOfRateLimits() {
        DnsProvider p = provider().apiToken(TOKEN).maxRetries(2).sleeper(waits::add).build();
        api.rateLimitNext(10, Duration.ofSeconds(2));

        assertThatThrownBy(() -> p.createTxtRecord(RECORD)).isInstanceOf(SolverException.class)
                .hasMessageContaining("429").hasMessageContaining("3 attempts")
                .satisfies(e -> assertThat(((SolverException) e).isRetryable()).isTrue());
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterLongerThanMaxRetryAfterIsCutToIt() throws Exception {
        DnsProvider defaults = provider().apiToken(TOKEN).sleeper(waits::add).build();
        api.rateLimitNext(1, Duration.ofHours(1));
        defaults.deleteTxtRecord(defaults.createTxtRecord(RECORD));

        List<Duration> shortWaits = new CopyOnWriteArrayList<>();
        DnsProvider capped = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN)
                .maxRetryAfter(Duration.ofSeconds(5)).sleeper(shortWaits::add).build();
        api.rateLimitNext(1, Duration.ofHours(1));
        capped.deleteTxtRecord(capped.createTxtRecord(RECORD));

        assertThat(waits).containsExactly(Duration.ofSeconds(60));
        assertThat(shortWaits).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void aRetryAfterDateIsMeasuredOnTheClock() throws Exception {
        DnsProvider p = provider().apiToken(TOKEN).sleeper(waits::add)
                .clock(Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC)).build();
        api.rateLimitNext(1, "Sun, 01 Mar 2026 10:00:30 GMT");

        p.deleteTxtRecord(p.createTxtRecord(RECORD));

        assertThat(waits).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void anInterruptDuringThePauseStopsRetrying() {
        DnsProvider p = provider().apiToken(TOKEN).sleeper(d -> {
            throw new InterruptedException("test");
        }).build();
        api.failNext(1);

        try {
            assertThatThrownBy(() -> p.createTxtRecord(RECORD)).isInstanceOf(SolverException.class)
                    .hasMessageContaining("Interrupted");
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(api.faultsServed).hasValue(1);
        assertThat(api.requests).hasSize(1);
    }

    @Test
    void aPostWhoseAnswerIsLostIsLookedUpInsteadOfSentAgain() throws Exception {
        api.dropAfterCreateNext(1);
        DnsProvider p = provider().apiToken(TOKEN).sleeper(waits::add).build();

        String handle = p.createTxtRecord(RECORD);

        assertThat(api.txtRecords()).hasSize(1);
        assertThat(api.requests.stream().filter(r -> r.startsWith("POST"))).hasSize(1);
        p.deleteTxtRecord(handle);
        assertThat(api.txtRecords()).isEmpty();
    }

    @Test
    void deletesByContentEveryMatchingRecordAndNothingElse() throws Exception {
        api.seedTxt("example.test", "_acme-challenge.www.example.test", "\"v=spf1 -all\"");
        api.seedTxt("example.test", "_acme-challenge.other.example.test", "\"value-1\"");
        CloudflareDnsProvider p = provider().apiToken(TOKEN).build();
        p.createTxtRecord(RECORD);

        p.deleteTxtRecords("example.test", RECORD.fqdn(), RECORD.value());
        p.deleteTxtRecords("example.test", RECORD.fqdn(), RECORD.value()); // idempotent
        p.deleteTxtRecords("unknown.test", "_acme-challenge.unknown.test", RECORD.value()); // no zone of the account

        assertThat(api.txtRecords()).extracting(r -> r.path("name").asText() + " " + r.path("content").asText())
                .containsExactlyInAnyOrder("_acme-challenge.www.example.test \"v=spf1 -all\"",
                        "_acme-challenge.other.example.test \"value-1\"");
    }

    @Test
    void aHandleOfARecordThatIsNoDns01RecordIsDroppedNotDeleted() throws Exception {
        api.seedTxt("example.test", "example.test", "\"v=spf1 -all\"");
        CloudflareDnsProvider p = provider().apiToken(TOKEN).build();
        String zoneId = p.createTxtRecord(RECORD).split(":")[2];
        String spfId = api.txtRecords().stream().filter(r -> r.path("name").asText().equals("example.test"))
                .findFirst().orElseThrow().path("id").asText();

        p.deleteTxtRecord("cloudflare:v1:" + zoneId + ":" + spfId);

        assertThat(api.txtRecords()).extracting(r -> r.path("name").asText()).contains("example.test");
        assertThat(api.requests).doesNotContain("DELETE zones/" + zoneId + "/dns_records/" + spfId);
    }

    @Test
    void deletingARecordThatIsGoneSucceeds() throws Exception {
        DnsProvider p = provider().apiToken(TOKEN).build();
        String handle = p.createTxtRecord(RECORD);
        p.deleteTxtRecord(handle);

        p.deleteTxtRecord(handle);

        assertThat(api.txtRecords()).isEmpty();
    }

    @Test
    void aNameInNoZoneOfTheAccountFailsClearly() {
        DnsProvider p = provider().apiToken(TOKEN).build();

        assertThatThrownBy(() -> p.createTxtRecord(new TxtRecord("_acme-challenge.www.unknown.test", "unknown.test", "v",
                Duration.ofSeconds(60)))).isInstanceOf(SolverException.class).hasMessageContaining("No Cloudflare zone holds");
    }

    @Test
    void isFoundByNameAndRefusesIncompleteSettings() {
        DnsProvider p = DnsProviders.byName("cloudflare", Map.of("apiToken", TOKEN, "baseUrl", api.baseUrl().toString()));
        assertThat(p).isInstanceOf(CloudflareDnsProvider.class);
        assertThat(p.toString()).doesNotContain(TOKEN);

        assertThatThrownBy(() -> DnsProviders.byName("cloudflare", Map.of("apiKey", KEY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> CloudflareDnsProvider.builder().apiToken(TOKEN).apiKey(KEY, EMAIL))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CloudflareDnsProvider.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void acceptsHttpsAnywhereButPlainHttpOnlyOnLoopbackHosts() {
        for (String ok : List.of("https://api.example.test/client/v4/", "http://127.0.0.1:8080/", "http://127.9.8.7/",
                "http://[::1]:9000/", "http://localhost:1234/", "HTTP://LOCALHOST/")) {
            assertThat(CloudflareDnsProvider.builder().baseUrl(URI.create(ok)).apiToken(TOKEN).build()).isNotNull();
        }
        for (String bad : List.of("http://api.cloudflare.com/client/v4/", "http://10.0.0.1/", "http://128.0.0.1/",
                "http://127.0.0.1.example.test/", "http://localhost.example.test/", "http://[::2]/", "http://0.0.0.0/")) {
            assertThatThrownBy(() -> CloudflareDnsProvider.builder().baseUrl(URI.create(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use https").hasMessageContaining("loopback");
        }
    }
}
