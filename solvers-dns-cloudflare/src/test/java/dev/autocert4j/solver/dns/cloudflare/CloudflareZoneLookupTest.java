package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.solver.dns.ZoneLookup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CloudflareDnsProvider answers "which of my zones holds this name?" from the zones API, read-only. */
class CloudflareZoneLookupTest {
    private static final String TOKEN = dev.autocert4j.testing.support.KnownSecrets.register("tok-zone-lookup-1234567890");

    private CloudflareEmulator api;

    @BeforeEach
    void start() throws Exception {
        api = new CloudflareEmulator(null).zone("example.test").zone("sub.example.test").zone("other.test").token(TOKEN);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private ZoneLookup provider() {
        return CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN).build();
    }

    @Test
    void namesTheLongestZoneOfTheAccountThatHoldsTheName() throws Exception {
        ZoneLookup lookup = provider();

        assertThat(lookup.zoneOf("_acme-challenge.www.sub.example.test")).contains("sub.example.test");
        assertThat(lookup.zoneOf("_acme-challenge.WWW.Example.Test")).contains("example.test");
        assertThat(lookup.zoneOf("other.test")).contains("other.test");
    }

    @Test
    void isEmptyForANameNoZoneOfTheAccountHolds() throws Exception {
        assertThat(provider().zoneOf("_acme-challenge.www.elsewhere.test")).isEmpty();
    }

    @Test
    void onlyReadsZonesAndRemembersThem() throws Exception {
        ZoneLookup lookup = provider();

        lookup.zoneOf("_acme-challenge.a.example.test");
        int afterFirst = api.requests().size();
        lookup.zoneOf("example.test");

        assertThat(api.requests()).allMatch(r -> r.equals("GET zones"));
        assertThat(api.requests()).as("the zone found first is remembered").hasSize(afterFirst);
        assertThat(api.txtRecordCount()).isZero();
    }
}
