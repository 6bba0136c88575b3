package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.testing.support.KnownSecrets;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TXT records of others at the challenge name, through Cloudflare's API (the emulator): another value at the same
 * name, and the very value we are about to write (another process presenting the same authorization). Our
 * cleanup, after validation and from the journal after a crash, leaves both. The foreign records are made with a
 * plain POST to the API, as another tool would, not with our provider.
 */
class CloudflareForeignRecordsTest {
    private static final String TOKEN = KnownSecrets.register("tok-foreign-records-1234567890");
    private static final ChallengeRequest CHALLENGE = new ChallengeRequest(ChallengeType.DNS_01,
            Identifier.dns("www.example.test"), "token-1", "token-1.thumbprint");
    private static final String NAME = "_acme-challenge.www.example.test";

    private CloudflareEmulator api;

    @BeforeEach
    void start() throws Exception {
        api = new CloudflareEmulator(null).zone("example.test").token(TOKEN);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Another tool's record, made through the API's ordinary POST. */
    private void postForeignTxt(String content) throws Exception {
        String zoneId = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.baseUrl().resolve("zones?name=example.test"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body()
                .replaceAll("(?s).*\"id\":\"([0-9a-f]+)\".*", "$1");
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        api.baseUrl().resolve(URI.create("zones/" + zoneId + "/dns_records")))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"TXT\",\"name\":\"" + NAME + "\",\"content\":\"\\\""
                        + content + "\\\"\",\"ttl\":120}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    private java.util.List<String> contents() {
        return api.txtRecords().stream().map(r -> r.path("content").asText()).toList();
    }

    private Dns01Solver solver() {
        // The provider knows its zones and the wait is fixed: no DNS server is involved.
        return Dns01Solver.builder().provider(CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN).build())
                .resolvers(new InetSocketAddress("127.0.0.1", 9)).fixedPropagationWait(Duration.ofMillis(1)).build();
    }

    @Test
    void aForeignValueAtTheChallengeNameSurvivesOurCleanupAfterValidationAndAfterACrash() throws Exception {
        postForeignTxt("v=spf1 -all");
        Dns01Solver solver = solver();

        Presentation presentation = solver.present(CHALLENGE);
        presentation.awaitVisible(Instant.now().plusSeconds(10));
        assertThat(contents()).containsExactlyInAnyOrder("\"v=spf1 -all\"", "\"" + CHALLENGE.dnsTxtValue() + "\"");
        String handle = presentation.cleanupHandle().orElseThrow();
        presentation.close();
        assertThat(contents()).as("after close").containsExactly("\"v=spf1 -all\"");

        solver.cleanUp(handle);
        solver.cleanUp("dns-01:intent:v1:example.test:" + NAME + ":" + CHALLENGE.dnsTxtValue());
        assertThat(contents()).as("after the journal's cleanup").containsExactly("\"v=spf1 -all\"");
    }

    @Test
    void anIdenticalRecordThatExistedBeforeIsNeitherDuplicatedNorDeleted() throws Exception {
        postForeignTxt(CHALLENGE.dnsTxtValue());
        Dns01Solver solver = solver();

        Presentation presentation = solver.present(CHALLENGE);
        assertThat(contents()).containsExactly("\"" + CHALLENGE.dnsTxtValue() + "\"");
        String handle = presentation.cleanupHandle().orElseThrow();
        presentation.close();
        assertThat(contents()).as("after close").containsExactly("\"" + CHALLENGE.dnsTxtValue() + "\"");

        solver.cleanUp(handle);
        assertThat(contents()).as("after the journal's cleanup of our confirmed handle")
                .containsExactly("\"" + CHALLENGE.dnsTxtValue() + "\"");
        assertThat(api.requests()).noneMatch(r -> r.startsWith("DELETE"));
    }

    @Test
    void anIdenticalRecordThatExistedBeforeGetsNoIntentInTheJournalSoNoCleanupAfterACrashCanDeleteIt() throws Exception {
        postForeignTxt(CHALLENGE.dnsTxtValue());
        long postsBefore = api.requests().stream().filter(r -> r.startsWith("POST")).count();
        java.util.List<String> intents = new java.util.concurrent.CopyOnWriteArrayList<>();

        Presentation presentation = solver().present(CHALLENGE, intents::add);

        assertThat(intents).as("intents journalled before the create").isEmpty();
        assertThat(api.requests().stream().filter(r -> r.startsWith("POST"))).as("POSTs after the foreign one").hasSize((int) postsBefore);
        assertThat(presentation.cleanupHandle()).get().asString().endsWith(":" + DnsProvider.EXISTING_RECORD);
    }
}
