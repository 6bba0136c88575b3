package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.testing.internal.LocalPorts;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PebbleServerIT {

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().certificateValidity(Duration.ofHours(1)).build();

    @AfterEach
    void resetDns(PebbleServer server) {
        server.clearARecord("added.example.test");
        server.setDefaultIPv4("127.0.0.1");
    }

    @Test
    void servesTheDirectoryOverTlsThatTrustsOnlyTheGeneratedAnchor(PebbleServer server) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(server.sslContext()).build();

        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(server.directoryUrl()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(server.directoryUrl().toString()).startsWith("https://127.0.0.1:").endsWith("/dir");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"newOrder\"", "\"newAccount\"", "\"newNonce\"");
        assertThat(server.trustStore().getCertificate("pebble-tls")).isEqualTo(server.tlsTrustAnchor());
    }

    @Test
    void aClientThatDoesNotTrustTheAnchorFailsTheHandshake(PebbleServer server) {
        HttpClient client = HttpClient.newHttpClient();

        assertThatThrownBy(() -> client.send(
                HttpRequest.newBuilder(server.directoryUrl()).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void returnsRootAndIntermediateAndTheIntermediateVerifiesAgainstTheRoot(PebbleServer server) throws Exception {
        X509Certificate root = server.rootCertificate();
        X509Certificate intermediate = server.intermediateCertificate();

        intermediate.verify(root.getPublicKey());
        root.verify(root.getPublicKey());
        assertThat(intermediate.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        assertThat(intermediate.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.rootCertificate()).isSameAs(root);
    }

    @Test
    void answersDnsWithTheLoopbackDefaultAndWithAddedRecords(PebbleServer server) throws Exception {
        assertThat(DnsQuery.ask(server.dnsServer(), "anything.example.test", DnsQuery.TYPE_A))
                .containsExactly("127.0.0.1");

        server.addARecord("added.example.test", "10.1.2.3");

        assertThat(DnsQuery.ask(server.dnsServer(), "added.example.test", DnsQuery.TYPE_A))
                .containsExactly("10.1.2.3");

        server.clearARecord("added.example.test.");

        assertThat(DnsQuery.ask(server.dnsServer(), "added.example.test", DnsQuery.TYPE_A))
                .containsExactly("127.0.0.1");
    }

    @Test
    void changesTheDefaultAddress(PebbleServer server) throws Exception {
        server.setDefaultIPv4("10.9.8.7");

        assertThat(DnsQuery.ask(server.dnsServer(), "other.example.test", DnsQuery.TYPE_A))
                .containsExactly("10.9.8.7");
    }

    @Test
    void servesAndClearsTxtRecordsForDns01(PebbleServer server) throws Exception {
        server.addTxtRecord("_acme-challenge.example.test", "token-digest");

        assertThat(DnsQuery.ask(server.dnsServer(), "_acme-challenge.example.test", DnsQuery.TYPE_TXT))
                .containsExactly("token-digest");

        server.clearTxtRecord("_acme-challenge.example.test");

        assertThat(DnsQuery.ask(server.dnsServer(), "_acme-challenge.example.test", DnsQuery.TYPE_TXT))
                .isEmpty();
    }

    @Test
    void startsWithNoAccountsAndOrdersAndCapturesTheLogs(PebbleServer server) {
        assertThat(server.accountCount()).isZero();
        assertThat(server.orderCount()).isZero();
        assertThat(server.log()).contains("==== pebble ====", "==== pebble-challtestsrv ====");
    }

    @Test
    void rejectsAnAddressThatIsNotIpv4(PebbleServer server) {
        assertThatThrownBy(() -> server.addARecord("x.example.test", "::1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extensionExposesTheSameServerAsTheParameter(PebbleServer server) {
        assertThat(pebble.server()).isSameAs(server);
    }

    @Nested
    class NestedTests {
        @Test
        void shareTheEnclosingServer(PebbleServer server) {
            assertThat(server).isSameAs(pebble.server());
        }
    }

    @Test
    void closeStopsBothProcessesFreesThePortsAndDeletesTheFiles() throws Exception {
        PebbleServer server = PebbleServer.builder().nonceRejectPercent(0).start();
        int acmePort = server.directoryUrl().getPort();
        int managementPort = server.managementUrl().getPort();
        InetSocketAddress dns = server.dnsServer();
        Path directory = workDirectory(server);
        assertThat(directory).isDirectory();
        assertThat(LocalPorts.accepts(acmePort)).isTrue();

        server.close();
        server.close();

        assertThat(directory).doesNotExist();
        for (int port : List.of(acmePort, managementPort, dns.getPort())) {
            try (ServerSocket socket = new ServerSocket(port, 1, LocalPorts.LOOPBACK)) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
        try (DatagramSocket socket = new DatagramSocket(dns)) {
            assertThat(socket.getLocalPort()).isEqualTo(dns.getPort());
        }
    }

    @Test
    void eabConfigurationMakesPebbleRequireExternalAccountBinding() throws Exception {
        try (PebbleServer server = PebbleServer.builder()
                .externalAccountBinding("kid-1", "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W")
                .start()) {
            HttpClient client = HttpClient.newBuilder().sslContext(server.sslContext()).build();

            String directory = client.send(HttpRequest.newBuilder(server.directoryUrl()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertThat(directory).containsPattern("\"externalAccountRequired\":\\s*true");
            assertThat(server.log()).doesNotContain("zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W");
        }
    }

    private static Path workDirectory(PebbleServer server) throws Exception {
        Path directory = server.workDirectory();
        assertThat(Files.exists(directory.resolve("pebble.log"))).isTrue();
        return directory;
    }
}
