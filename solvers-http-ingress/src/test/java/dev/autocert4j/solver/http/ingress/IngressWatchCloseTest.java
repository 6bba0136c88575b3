package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A solver closed while its watch of the Ingresses is still being opened leaves no watch open on the user's client,
 * which stays open (users share one client). An informer stopped between its list and its watch still opens the
 * watch; fabric8 8.0.0 closes it as soon as it is open (older Reflectors cancelled its future instead, and the
 * client kept the watch for good). Half of the solvers are closed at once, the others after up to 20 ms: in and
 * around that window.
 */
class IngressWatchCloseTest {
    private static final int SOLVERS = 50;
    private static final String TOKEN = "tok_WatchClose-0123456789";

    private final KubernetesMockApi api = new KubernetesMockApi();
    private final KubernetesClient shared = api.newClient();

    @AfterEach
    void stop() {
        shared.close();
        api.close();
    }

    @Test
    void solversClosedRightAfterTheirFirstRequestLeaveNoWatchOpenOnTheSharedClient() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < SOLVERS; i++) {
            IngressHttp01Solver solver = IngressHttp01Solver.builder(shared).namespace("default").service("app", 80)
                    .ingressClassName("nginx").fixedWait(Duration.ofMillis(1)).build();
            Presentation presented = solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("www.example.test"),
                    TOKEN, TOKEN + ".thumbprint"));
            try {
                // Another replica's token: answered from the watch, which this first request starts.
                assertThat(solver.respond(Http01Solver.PATH_PREFIX + "tok_another-token-0123")).isEmpty();
                if (i % 2 == 1) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(20_000))); // somewhere in list or watch
                }
                solver.close();
            } finally {
                presented.close();
            }
        }

        assertThat(api.requests()).as("watches opened for solvers already closed, or the test proves nothing")
                .filteredOn(request -> request.verb().equals("watch")).isNotEmpty();
        Poll.until(Duration.ofSeconds(30), () -> api.openWatches() == 0,
                () -> api.openWatches() + " of " + SOLVERS + " closed solvers' watches still open on the shared client");
        assertThat(shared.network().v1().ingresses().inNamespace("default").list().getItems())
                .as("every presentation cleaned up, the client still usable").isEmpty();
    }
}
