package dev.autocert4j.solver.dns.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.TxtRecord;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.PebbleServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DNS-01 through CloudflareDnsProvider → Cloudflare emulator → pebble-challtestsrv → Pebble's VA.
 * pebble-challtestsrv answers SOA queries with NOTIMP, like split horizons and firewalled
 * nameservers: the zone comes from configuration or from Cloudflare's zones API, never from DNS.
 */
class CloudflareIntoChallTestSrvIT {
    private static final String TOKEN = dev.autocert4j.testing.support.KnownSecrets.register("tok-challtestsrv-it-1234567890");

    private static PebbleServer pebble;
    private CloudflareEmulator api;

    @BeforeAll
    static void startPebble() {
        pebble = PebbleServer.builder().authzReuse(0).vaNoSleep(true).start();
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
    }

    /** Publishes what the emulator holds into pebble-challtestsrv; the handle is the name (one record per name here). */
    private static final class ChallTestSrvPublisher implements DnsProvider {
        @Override
        public String id() {
            return "challtestsrv";
        }

        @Override
        public String createTxtRecord(TxtRecord record) {
            pebble.addTxtRecord(record.fqdn(), record.value());
            return record.fqdn();
        }

        @Override
        public void deleteTxtRecord(String handle) {
            pebble.clearTxtRecord(handle);
        }
    }

    @BeforeEach
    void startEmulator() throws Exception {
        api = new CloudflareEmulator(new ChallTestSrvPublisher()).zone("example.test").token(TOKEN);
    }

    @AfterEach
    void nothingLeftAtCloudflare() {
        try {
            assertThat(api.txtRecordCount()).as("TXT records left at Cloudflare").isZero();
        } finally {
            api.close();
        }
    }

    private Dns01Solver.Builder solver() {
        return Dns01Solver.builder().provider(CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN).build())
                .resolvers(pebble.dnsServer()).queryTimeout(Duration.ofSeconds(2));
    }

    private static StoredCertificate obtain(Dns01Solver solver, String dnsName) throws Exception {
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(solver).store(new InMemoryCertificateStore()).build();
        return manager.obtain(Certificate.builder(dnsName.replace('.', '-')).dnsNames(dnsName)
                .issuerRef(IssuerRef.clusterIssuer("pebble")).build());
    }

    private static List<String> sans(StoredCertificate issued) throws Exception {
        return issued.leaf().getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
    }

    @Test
    void issuesWithTheZoneFromConfiguration() throws Exception {
        StoredCertificate issued = obtain(solver().zones("example.test").fixedPropagationWait(Duration.ofMillis(200)).build(),
                "configured.example.test");

        assertThat(sans(issued)).containsExactly("configured.example.test");
        assertThat(api.requests()).anyMatch(r -> r.startsWith("POST ")).anyMatch(r -> r.startsWith("DELETE "));
    }

    @Test
    void issuesWithTheZoneFromCloudflaresZonesApi() throws Exception {
        StoredCertificate issued = obtain(solver().fixedPropagationWait(Duration.ofMillis(200)).build(), "from-api.example.test");

        assertThat(sans(issued)).containsExactly("from-api.example.test");
        assertThat(api.requests()).contains("GET zones");
    }

    @Test
    void aProviderWithoutZoneKnowledgeAndNoConfiguredZoneFailsNamingTheOptions() {
        // The same Cloudflare account, seen through a provider that cannot answer ZoneLookup: the SOA walk is all that is left.
        DnsProvider cloudflare = CloudflareDnsProvider.builder().baseUrl(api.baseUrl()).apiToken(TOKEN).build();
        DnsProvider plain = new DnsProvider() {
            @Override
            public String id() {
                return cloudflare.id();
            }

            @Override
            public String createTxtRecord(TxtRecord record) throws dev.autocert4j.solver.SolverException {
                return cloudflare.createTxtRecord(record);
            }

            @Override
            public void deleteTxtRecord(String handle) throws dev.autocert4j.solver.SolverException {
                cloudflare.deleteTxtRecord(handle);
            }
        };
        Dns01Solver solver = Dns01Solver.builder().provider(plain).resolvers(pebble.dnsServer())
                .queryTimeout(Duration.ofSeconds(2)).fixedPropagationWait(Duration.ofMillis(200)).build();

        assertThatThrownBy(() -> obtain(solver, "soa.example.test")).isInstanceOf(AutocertException.class)
                .hasMessageContaining("NOTIMP").hasMessageContaining("zones(").hasMessageContaining("ZoneLookup");
        assertThat(api.requests()).noneMatch(r -> r.startsWith("POST "));
    }
}
