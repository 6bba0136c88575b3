package dev.autocert4j.solver.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What Dns01Solver.cleanUp does with journal entries: in-scope ones are deleted, forged ones dropped. */
class Dns01SolverCleanupTest {
    private static final String VALUE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"; // 43 base64url characters

    /** Records calls; deletes by content only when built so. */
    private static class Recording implements DnsProvider {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public String createTxtRecord(TxtRecord record) {
            return "h";
        }

        @Override
        public void deleteTxtRecord(String handle) {
            calls.add("handle " + handle);
        }
    }

    private static final class ByContent extends Recording implements DeletableByContent {
        @Override
        public void deleteTxtRecords(String zone, String fqdn, String value) {
            calls.add("content " + zone + " " + fqdn + " " + value);
        }
    }

    private static Dns01Solver solver(DnsProvider provider) {
        return Dns01Solver.builder().provider(provider).resolvers(new InetSocketAddress("127.0.0.1", 53)).build();
    }

    @Test
    void anIntentIsDeletedByContent() throws Exception {
        ByContent provider = new ByContent();

        solver(provider).cleanUp("dns-01:intent:v1:example.test:_acme-challenge.www.example.test:" + VALUE);

        assertThat(provider.calls).containsExactly("content example.test _acme-challenge.www.example.test " + VALUE);
    }

    @Test
    void aConfirmedRecordIsDeletedByContentWhenTheProviderCanAndByItsHandleOtherwise() throws Exception {
        String handle = "dns-01:record:v1:example.test:_acme-challenge.example.test:" + VALUE + ":cloudflare:v1:z:r";
        ByContent byContent = new ByContent();
        Recording byHandle = new Recording();

        solver(byContent).cleanUp(handle);
        solver(byHandle).cleanUp(handle);

        assertThat(byContent.calls).containsExactly("content example.test _acme-challenge.example.test " + VALUE);
        assertThat(byHandle.calls).containsExactly("handle cloudflare:v1:z:r");
    }

    @Test
    void anIntentIsLeftAloneByAProviderThatCannotDeleteByContent() throws Exception {
        Recording provider = new Recording();

        solver(provider).cleanUp("dns-01:intent:v1:example.test:_acme-challenge.example.test:" + VALUE);

        assertThat(provider.calls).isEmpty();
    }

    @Test
    void aHandleOfAnEarlierVersionGoesToTheProvider() throws Exception {
        ByContent provider = new ByContent();

        solver(provider).cleanUp("rfc2136:v1:example.test|_acme-challenge.example.test|" + VALUE);

        assertThat(provider.calls).containsExactly("handle rfc2136:v1:example.test|_acme-challenge.example.test|" + VALUE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "dns-01:intent:v1:example.test:www.example.test:" + VALUE, // no _acme-challenge label: the web site's TXT
            "dns-01:intent:v1:example.test:_acme-challenge.other.test:" + VALUE, // outside the zone
            "dns-01:intent:v1:example.test:_acme-challenge.example.test:v=spf1 -all", // not a DNS-01 value
            "dns-01:intent:v1:example.test:_acme-challenge.example.test:short",
            "dns-01:intent:v1:Example.test:_acme-challenge.Example.test:" + VALUE, // not lower case
            "dns-01:intent:v1:example.test:_acme-challenge.example.test", // a part missing
            "dns-01:record:v1:example.test:_acme-challenge.example.test:" + VALUE + ":", // no provider handle
            "dns-01:record:v1:example.test:mail.example.test:" + VALUE + ":cloudflare:v1:z:r",
            "dns-01:intent:v1:example.test:_acme-challenge.example.test/../x:" + VALUE})
    void aForgedEntryIsDroppedWithoutAskingTheProvider(String forged) throws Exception {
        ByContent byContent = new ByContent();
        Recording byHandle = new Recording();

        solver(byContent).cleanUp(forged);
        solver(byHandle).cleanUp(forged);

        assertThat(byContent.calls).isEmpty();
        assertThat(byHandle.calls).isEmpty();
    }

    @Test
    void withCnamesFollowedARecordAtAnyNameInsideTheZoneIsInScope() throws Exception {
        ByContent provider = new ByContent();
        Dns01Solver solver = Dns01Solver.builder().provider(provider).resolvers(new InetSocketAddress("127.0.0.1", 53))
                .cnameStrategy(CnameStrategy.FOLLOW).build();

        solver.cleanUp("dns-01:intent:v1:acme-dns.test:d420c923.acme-dns.test:" + VALUE);

        assertThat(provider.calls).containsExactly("content acme-dns.test d420c923.acme-dns.test " + VALUE);
    }

    @Test
    void rfc2136DropsAForgedHandleOfItsOwnFormatWithoutSendingAnUpdate() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing answers here once closed
        }
        Rfc2136DnsProvider provider = Rfc2136DnsProvider.builder().nameserver(new InetSocketAddress("127.0.0.1", closedPort))
                .timeout(Duration.ofMillis(500)).build();

        provider.deleteTxtRecord("rfc2136:v1:example.test|www.example.test|v=spf1 -all");
        provider.deleteTxtRecord("rfc2136:v1:example.test|_acme-challenge.other.test|" + VALUE);

        assertThatThrownBy(() -> provider.deleteTxtRecord("rfc2136:v1:example.test|_acme-challenge.example.test|" + VALUE))
                .as("a genuine handle is sent").isInstanceOf(SolverException.class).hasMessageContaining("No answer");
    }
}
