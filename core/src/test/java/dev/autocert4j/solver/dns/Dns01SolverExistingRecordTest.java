package dev.autocert4j.solver.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.IntentJournal;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What {@link Dns01Solver#present(ChallengeRequest, IntentJournal)} journals and creates when the identical record
 * may exist already: a {@link FindableByContent} provider is asked before the intent is journalled, and a record it
 * finds is neither journalled nor created; a provider without that ability works as before.
 */
class Dns01SolverExistingRecordTest {
    private static final ChallengeRequest CHALLENGE = new ChallengeRequest(ChallengeType.DNS_01, Identifier.dns("www.example.test"),
            "token", "token.thumbprint");
    private static final String FQDN = "_acme-challenge.www.example.test";

    /** Writes what happens, in order, into one list shared with the journal. */
    private static class DeletingByContent implements DnsProvider, DeletableByContent {
        final List<String> calls;

        DeletingByContent(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public String createTxtRecord(TxtRecord record) {
            calls.add("create " + record.fqdn());
            return "h";
        }

        @Override
        public void deleteTxtRecord(String handle) {
            calls.add("delete " + handle);
        }

        @Override
        public void deleteTxtRecords(String zone, String fqdn, String value) {
            calls.add("delete by content " + fqdn);
        }
    }

    private static class Finding extends DeletingByContent implements FindableByContent {
        private final boolean exists;

        Finding(List<String> calls, boolean exists) {
            super(calls);
            this.exists = exists;
        }

        @Override
        public boolean hasTxtRecord(String zone, String fqdn, String value) throws SolverException {
            calls.add("find " + zone + " " + fqdn + " " + value.equals(CHALLENGE.dnsTxtValue()));
            return exists;
        }
    }

    private static Presentation present(DnsProvider provider, List<String> calls) throws SolverException {
        Dns01Solver solver = Dns01Solver.builder().provider(provider).resolvers(new InetSocketAddress("127.0.0.1", 53))
                .zones("example.test").fixedPropagationWait(Duration.ofMillis(1)).build();
        return solver.present(CHALLENGE, handle -> calls.add("intent " + handle.substring(0, handle.lastIndexOf(':'))));
    }

    @Test
    void aRecordTheProviderFindsIsNeitherJournalledNorCreatedNorDeleted() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();

        Presentation presentation = present(new Finding(calls, true), calls);
        presentation.close();

        assertThat(calls).containsExactly("find example.test " + FQDN + " true");
        assertThat(presentation.cleanupHandle()).get().asString().endsWith(":" + DnsProvider.EXISTING_RECORD);
    }

    @Test
    void aRecordTheProviderDoesNotFindIsJournalledThenCreated() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();

        present(new Finding(calls, false), calls);

        assertThat(calls).containsExactly("find example.test " + FQDN + " true", "intent dns-01:intent:v1:example.test:" + FQDN,
                "create " + FQDN);
    }

    @Test
    void aProviderThatCannotFindByContentIsJournalledAndCalledAsBefore() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();

        present(new DeletingByContent(calls), calls);

        assertThat(calls).containsExactly("intent dns-01:intent:v1:example.test:" + FQDN, "create " + FQDN);
    }

    @Test
    void aLookupThatFailsStopsThePresentationBeforeAnythingIsJournalledOrCreated() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Finding failing = new Finding(calls, false) {
            @Override
            public boolean hasTxtRecord(String zone, String fqdn, String value) throws SolverException {
                throw new SolverException("no answer from the provider", true, null);
            }
        };

        assertThatThrownBy(() -> present(failing, calls)).isInstanceOf(SolverException.class).hasMessage("no answer from the provider");
        assertThat(calls).isEmpty();
    }
}
