package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.testing.support.KnownSecrets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TXT records of others at the challenge name, over RFC 2136 into BIND: another value at the same name (an SPF
 * record, another tool's challenge) and the very value we are about to write (another process presenting the same
 * authorization). Our cleanup, after validation and after a crash, must leave both where they were. The foreign
 * records come from the zone file, not from our own writer.
 */
class Dns01ForeignRecordsIT {
    private static final ChallengeRequest OURS = new ChallengeRequest(ChallengeType.DNS_01, Identifier.dns("foreign.example.test"),
            "token-ours", "token-ours.thumbprint");
    private static final ChallengeRequest SAME = new ChallengeRequest(ChallengeType.DNS_01, Identifier.dns("same.example.test"),
            "token-same", "token-same.thumbprint");
    private static final String FOREIGN_NAME = "_acme-challenge.foreign.example.test";
    private static final String SAME_NAME = "_acme-challenge.same.example.test";

    private static BindServer bind;

    @BeforeAll
    static void start() {
        bind = BindServer.builder().zone("example.test",
                "_acme-challenge.foreign IN TXT \"v=spf1 -all\"",
                "_acme-challenge.same IN TXT \"" + SAME.dnsTxtValue() + "\"",
                "_acme-challenge.replica IN TXT \"v=spf1 -all\"").start();
        KnownSecrets.register(bind.tsigSecret());
    }

    @AfterAll
    static void stop() {
        if (bind != null) {
            bind.close();
        }
    }

    private static Dns01Solver solver() {
        return Dns01IT.solver(bind.address(), bind.tsigSecret()).pollInterval(Duration.ofMillis(50)).build();
    }

    private static java.util.List<String> txt(String name) throws Exception {
        return DnsQuery.ask(bind.address(), name, DnsQuery.TYPE_TXT);
    }

    @Test
    void aForeignValueAtTheChallengeNameSurvivesOurCleanupAfterValidationAndAfterACrash() throws Exception {
        Dns01Solver solver = solver();

        Presentation presentation = solver.present(OURS);
        presentation.awaitVisible(Instant.now().plusSeconds(10));
        assertThat(txt(FOREIGN_NAME)).containsExactlyInAnyOrder("v=spf1 -all", OURS.dnsTxtValue());
        String handle = presentation.cleanupHandle().orElseThrow();
        presentation.close();
        assertThat(txt(FOREIGN_NAME)).as("after close").containsExactly("v=spf1 -all");

        // A manager after a crash replays the journal: the confirmed record, and an intent.
        solver.cleanUp(handle);
        solver.cleanUp("dns-01:intent:v1:example.test:" + FOREIGN_NAME + ":" + OURS.dnsTxtValue());
        assertThat(txt(FOREIGN_NAME)).as("after the journal's cleanup").containsExactly("v=spf1 -all");
    }

    @Test
    void anIdenticalRecordThatExistedBeforeIsNeitherDuplicatedNorDeleted() throws Exception {
        Dns01Solver solver = solver();

        Presentation presentation = solver.present(SAME);
        presentation.awaitVisible(Instant.now().plusSeconds(10));
        assertThat(txt(SAME_NAME)).containsExactly(SAME.dnsTxtValue());
        String handle = presentation.cleanupHandle().orElseThrow();
        presentation.close();
        assertThat(txt(SAME_NAME)).as("after close").containsExactly(SAME.dnsTxtValue());

        solver.cleanUp(handle);
        assertThat(txt(SAME_NAME)).as("after the journal's cleanup of our confirmed handle").containsExactly(SAME.dnsTxtValue());
    }

    @Test
    void aSecondReplicaPresentingTheSameChallengeLeavesTheFirstReplicasRecordInPlace() throws Exception {
        ChallengeRequest shared = new ChallengeRequest(ChallengeType.DNS_01, Identifier.dns("replica.example.test"),
                "token-shared", "token-shared.thumbprint");
        String name = "_acme-challenge.replica.example.test";
        Presentation first = solver().present(shared);
        Presentation second = solver().present(shared);

        second.close();
        assertThat(txt(name)).as("after the second replica's close").containsExactlyInAnyOrder("v=spf1 -all", shared.dnsTxtValue());
        first.close();
        assertThat(txt(name)).as("after the first replica's close").containsExactly("v=spf1 -all");
    }
}
