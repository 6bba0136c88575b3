package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.PendingCleanup;
import org.junit.jupiter.api.Test;

class CleanupIntentsTest {
    /** A solver whose handle is known before it presents, as the Ingress solver's route. */
    private static final Solver SOLVER = new Solver() {
        @Override
        public ChallengeType challengeType() {
            return ChallengeType.HTTP_01;
        }

        @Override
        public boolean canSolve(Identifier identifier) {
            return true;
        }

        @Override
        public Presentation present(ChallengeRequest challenge) {
            throw new UnsupportedOperationException("not presented in this test");
        }

        @Override
        public String solverId() {
            return "http-01/ingress/default";
        }
    };

    @Test
    void forgettingTheIntentsKeepsAConfirmedEntryEqualToOneOfThem() throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        CleanupIntents intents = new CleanupIntents("default/www", SOLVER, store);
        intents.recordIntent("class:default/autocert4j-http01-abc/www.example.test/tok");
        intents.recordIntent("class:default/autocert4j-http01-def/www.example.test/other");
        PendingCleanup confirmed = new PendingCleanup("default/www", SOLVER.solverId(),
                "class:default/autocert4j-http01-abc/www.example.test/tok");
        store.recordPendingCleanup(confirmed);

        intents.forget(confirmed);

        assertThat(store.pendingCleanups()).as("the confirmed entry, which a crash now must find").containsExactly(confirmed);
        intents.forget();
        assertThat(store.pendingCleanups()).containsExactly(confirmed);
    }
}
