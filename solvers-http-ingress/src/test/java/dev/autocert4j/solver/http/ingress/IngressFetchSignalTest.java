package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Identifier;
import dev.autocert4j.internal.http.FetchedToken;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Ingress solver's presentations pass the responder's validation signal on to the order flow: the CA's
 * fetches of the token from this replica's responder, and nothing else (core's {@code FetchSignal} decides).
 */
class IngressFetchSignalTest {
    private static final String TOKEN = "tok_Signal-0123456789";
    private static final String PATH = Http01Solver.PATH_PREFIX + TOKEN;

    private final KubernetesMockApi api = new KubernetesMockApi();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close(); // presentations before their solvers
        }
        api.close();
    }

    private IngressHttp01Solver replica() {
        // Each replica its own client, as in a cluster, closed right after its solver (the list closes in reverse).
        KubernetesClient client = api.newClient();
        opened.add(client);
        IngressHttp01Solver solver = IngressHttp01Solver.builder(client).namespace("default").service("app", 80)
                .ingressClassName("nginx").fixedWait(Duration.ofMillis(1)).build();
        opened.add(solver);
        return solver;
    }

    private FetchedToken present(IngressHttp01Solver solver) throws Exception {
        Presentation p = solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("www.example.test"), TOKEN,
                TOKEN + ".thumbprint"));
        opened.add(p);
        assertThat(p).as("the presentation of a token that this replica's responder serves").isInstanceOf(FetchedToken.class);
        return (FetchedToken) p;
    }

    @Test
    void aPresentationReportsTheFetchesOfItsTokenFromThisReplicasResponder() throws Exception {
        IngressHttp01Solver solver = replica();
        FetchedToken token = present(solver);
        long triggered = System.nanoTime();

        assertThat(token.lastFetchNanos() - triggered).as("no fetch yet: the presentation time, before the trigger")
                .isNegative();
        assertThat(solver.respond(Http01Solver.PATH_PREFIX + "tok_another-token-0123")).isEmpty();
        assertThat(token.lastFetchNanos() - triggered).as("a request for another token is not a fetch of this one").isNegative();

        assertThat(solver.respond(PATH)).contains(TOKEN + ".thumbprint");

        assertThat(token.lastFetchNanos() - triggered).as("the CA's fetch after the trigger").isPositive();
    }

    @Test
    void aFetchWakesTheOrderWaitingOnThePresentation() throws Exception {
        IngressHttp01Solver solver = replica();
        FetchedToken token = present(solver);
        Thread waiter = new Thread(LockSupport::park, "order");
        waiter.start();
        token.wakeOnFetch(waiter);

        solver.respond(PATH);

        waiter.join(Duration.ofSeconds(30).toMillis());
        assertThat(waiter.isAlive()).as("the waiting order thread was unparked by the fetch").isFalse();
    }

    @Test
    void aFetchAnsweredByAnotherReplicaIsNotClaimedSoTheOrderWaitsForTheLearntPace() throws Exception {
        IngressHttp01Solver ordering = replica();
        IngressHttp01Solver other = replica();
        other.handler(); // the other replica serves its responder: it answers this replica's tokens from the Ingress
        FetchedToken token = present(ordering);
        long triggered = System.nanoTime();

        Poll.until(Duration.ofSeconds(30), () -> other.respond(PATH).isPresent(),
                () -> "the other replica never answered the token from the Ingress it watches");

        assertThat(token.lastFetchNanos() - triggered).as("a fetch this replica did not see").isNegative();
    }
}
