package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replicas answer tokens that another replica presented from a watch of the solver's Ingresses,
 * against fabric8's mock API server: anonymous requests cost no API call.
 */
class IngressTokenWatchIT {
    private final KubernetesMockApi api = new KubernetesMockApi();
    private final KubernetesClient otherClient = api.newClient();
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private HttpServer app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop(0);
        }
        workers.shutdownNow();
        otherClient.close();
        api.close();
    }

    private static IngressHttp01Solver solver(KubernetesClient client, String mode) {
        IngressHttp01Solver.Builder b = IngressHttp01Solver.builder(client).namespace("default").service("app", 8080);
        return (mode.equals("name") ? b.existingIngress("challenge") : b.ingressClass("nginx")).build();
    }

    private static IngressHttp01Solver withResponder(KubernetesClient client, String mode, Http01Solver responder) {
        IngressHttp01Solver.Builder b = IngressHttp01Solver.builder(client).namespace("default").service("app", 8080)
                .responder(responder);
        return (mode.equals("name") ? b.existingIngress("challenge") : b.ingressClass("nginx")).build();
    }

    private void createChallengeIngress() {
        api.inspector().network().v1().ingresses().inNamespace("default").resource(new IngressBuilder().withNewMetadata()
                .withName("challenge").withNamespace("default").endMetadata().withNewSpec().addNewRule()
                .withHost("www.example.test").withNewHttp().addNewPath().withPath("/").withPathType("Prefix").withNewBackend()
                .withNewService().withName("web").withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
                .endHttp().endRule().endSpec().build()).create();
    }

    /**
     * The mock API's request count once no request arrived for 200 ms (waiting at most 5 s): quiet is the absence
     * of an event, so this one wait is on time by meaning.
     */
    private int quietRequestCount() {
        int[] count = {api.requestCount()};
        long[] changedAt = {System.nanoTime()};
        Poll.until(Duration.ofSeconds(5), () -> {
            int now = api.requestCount();
            if (now != count[0]) {
                count[0] = now;
                changedAt[0] = System.nanoTime();
            }
            return System.nanoTime() - changedAt[0] >= Duration.ofMillis(200).toNanos();
        }, () -> "the mock API server still got requests after 5 s: " + count[0]);
        return count[0];
    }

    /** Waits (at most {@code limit}) until the replica answers the path, and returns how long that took. */
    private static Duration untilAnswered(Function<String, Optional<String>> replica, String path, Duration limit) {
        long start = System.nanoTime();
        Poll.until(limit, () -> replica.apply(path).isPresent(), () -> "no answer for '" + path + "' within " + limit);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @ParameterizedTest(name = "ingress mode {0}")
    @ValueSource(strings = {"name", "class"})
    @SuppressWarnings("try") // the presentation is held open by the try block
    void aTokenPresentedByAnotherReplicaIsAnsweredWithinASecond(String mode) throws Exception {
        if (mode.equals("name")) {
            createChallengeIngress();
        }
        try (IngressHttp01Solver ordering = solver(api.client(), mode); IngressHttp01Solver serving = solver(otherClient, mode)) {
            serving.handler(); // mounted at start-up: the watch runs before any challenge
            Poll.until(Duration.ofSeconds(10), serving::watching, () -> "the watch of serving did not start in 10 s");

            try (Presentation p = ordering.present(new ChallengeRequest(ChallengeType.HTTP_01,
                    Identifier.dns("www.example.test"), "tok-watched", "tok-watched.thumbprint"))) {
                Duration took = untilAnswered(serving::respond, "/.well-known/acme-challenge/tok-watched", Duration.ofSeconds(5));

                assertThat(serving.respond("/.well-known/acme-challenge/tok-watched")).contains("tok-watched.thumbprint");
                assertThat(took).as("from presentation to the other replica's answer").isLessThan(Duration.ofSeconds(1));
            }
            Duration gone = untilAnswered(path -> serving.respond(path).isPresent() ? Optional.empty() : Optional.of("gone"),
                    "/.well-known/acme-challenge/tok-watched", Duration.ofSeconds(5));
            assertThat(gone).as("a cleaned-up token is no longer answered").isLessThan(Duration.ofSeconds(5));
        }
    }

    @ParameterizedTest(name = "ingress mode {0}")
    @ValueSource(strings = {"name", "class"})
    @SuppressWarnings("try") // the presentation is held open by the try block
    void theApplicationsOwnResponderAnswersATokenPresentedByAnotherReplica(String mode) throws Exception {
        if (mode.equals("name")) {
            createChallengeIngress();
        }
        // The serving replica's application serves its own Http01Solver (standalone or mounted: both answer
        // with respond(path)) and hands it to its Ingress solver; it never mounts that solver's handler().
        try (Http01Solver applicationResponder = Http01Solver.builder().mounted().build();
                IngressHttp01Solver ordering = solver(api.client(), mode);
                IngressHttp01Solver serving = withResponder(otherClient, mode, applicationResponder)) {
            Poll.until(Duration.ofSeconds(10), serving::watching, () -> "the watch of serving did not start in 10 s");

            try (Presentation p = ordering.present(new ChallengeRequest(ChallengeType.HTTP_01,
                    Identifier.dns("www.example.test"), "tok-shared", "tok-shared.thumbprint"))) {
                untilAnswered(applicationResponder::respond, "/.well-known/acme-challenge/tok-shared", Duration.ofSeconds(5));

                assertThat(applicationResponder.respond("/.well-known/acme-challenge/tok-shared"))
                        .as("the other replica's token, from the application's responder").contains("tok-shared.thumbprint");
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the presentation is held open by the try block
    void closingTheIngressSolverStopsTheApplicationsResponderFromAnsweringOtherReplicas() throws Exception {
        try (Http01Solver applicationResponder = Http01Solver.builder().mounted().build();
                IngressHttp01Solver ordering = solver(api.client(), "class")) {
            IngressHttp01Solver serving = IngressHttp01Solver.builder(otherClient).namespace("default").service("app", 8080)
                    .responder(applicationResponder).ingressClass("nginx").build();
            Poll.until(Duration.ofSeconds(10), serving::watching, () -> "the watch of serving did not start in 10 s");
            serving.close();

            try (Presentation p = ordering.present(new ChallengeRequest(ChallengeType.HTTP_01,
                    Identifier.dns("www.example.test"), "tok-closed", "tok-closed.thumbprint"))) {
                assertThat(applicationResponder.respond("/.well-known/acme-challenge/tok-closed")).isEmpty();
                assertThat(serving.watching()).isFalse();
            }
        }
    }

    @Test
    void tenThousandRequestsForUnknownTokensCostNoApiRequestBeyondTheWatch() throws Exception {
        try (IngressHttp01Solver replica = solver(api.client(), "class")) {
            replica.handler();
            Poll.until(Duration.ofSeconds(10), replica::watching, () -> "the watch of replica did not start in 10 s");
            int before = quietRequestCount(); // the watch's own requests are counted once they reached the server

            // respond(...) is what handler() answers each request with (the JDK server adds only HTTP).
            int notFound = 0;
            for (int i = 0; i < 10_000; i++) {
                if (replica.respond("/.well-known/acme-challenge/made-up-" + i).isEmpty()) {
                    notFound++;
                }
            }

            assertThat(notFound).isEqualTo(10_000);
            assertThat(api.requestCount() - before).as("API requests for 10,000 unknown tokens").isZero();
        }
    }

    @Test
    void theHandlerAnswersUnknownTokensWith404WithoutAnApiRequest() throws Exception {
        try (IngressHttp01Solver replica = solver(api.client(), "class")) {
            app = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            app.createContext("/.well-known/acme-challenge/", replica.handler());
            app.setExecutor(workers);
            app.start();
            Poll.until(Duration.ofSeconds(10), replica::watching, () -> "the watch of replica did not start in 10 s");
            int before = quietRequestCount();

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 20; i++) {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.getAddress().getPort() + "/.well-known/acme-challenge/made-up-" + i)).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.discarding());
                assertThat(response.statusCode()).isEqualTo(404);
            }

            assertThat(api.requestCount() - before).isZero();
        }
    }

    @Test
    @SuppressWarnings("try") // the presentation is held open by the try block
    void closingTheSolverStopsTheWatchForGood() throws Exception {
        IngressHttp01Solver replica = solver(otherClient, "class");
        replica.handler();
        Poll.until(Duration.ofSeconds(10), replica::watching, () -> "the watch of replica did not start in 10 s");
        assertThat(replica.watching()).isTrue();

        replica.close();
        assertThat(replica.watching()).isFalse();
        try (IngressHttp01Solver ordering = solver(api.client(), "class");
                Presentation p = ordering.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.test"),
                        "tok-after-close", "tok-after-close.t"))) {
            assertThat(replica.respond("/.well-known/acme-challenge/tok-after-close")).isEmpty();
            assertThat(replica.watching()).as("a request after close starts no new watch").isFalse();
        }
    }
}
