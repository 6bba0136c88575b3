package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.testing.kubernetes.IngressControllerEmulator;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The self-check against an ingress controller that behaves like a real one: it routes a new Ingress only after its
 * informer lag, and it may redirect plain HTTP to HTTPS. Let's Encrypt follows such a redirect to port 443 (ignoring
 * the certificate); the self-check does not follow it, so it never reports success for a challenge it did not read,
 * and says that the redirect is why it failed.
 */
class IngressSelfCheckTest {
    private static final String HOST = "www.example.test";
    private KubernetesMockApi api;
    private IngressControllerEmulator nginx;
    private HttpServer app;

    @BeforeEach
    void start() {
        api = new KubernetesMockApi();
        nginx = new IngressControllerEmulator(api.client(), "nginx", 0);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop(0);
        }
        nginx.close();
        api.close();
    }

    private IngressHttp01Solver solver(Duration selfCheckTimeout) throws Exception {
        IngressHttp01Solver solver = IngressHttp01Solver.builder(api.client()).namespace("default").service("app", 8080)
                .ingressClassName("nginx").selfCheckTimeout(selfCheckTimeout)
                .selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port())).build();
        app = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        app.createContext("/", solver.handler());
        app.start();
        nginx.backend("default", "app", 8080, app.getAddress().getPort());
        return solver;
    }

    private static ChallengeRequest challenge(String token) {
        return new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns(HOST), token, token + ".thumbprint");
    }

    private long answered(String status) {
        return nginx.routed().stream().filter(r -> r.endsWith(status)).count();
    }

    @Test
    void theSelfCheckWaitsUntilALaggingControllerRoutesTheChallenge() throws Exception {
        nginx.informerLag(Duration.ofMillis(1500));
        IngressHttp01Solver solver = solver(Duration.ofSeconds(30));

        try (Presentation p = solver.present(challenge("lagging-token"))) {
            p.awaitVisible(Instant.now().plusSeconds(30));

            assertThat(answered("-> 404")).as("asked before the route existed").isPositive();
            assertThat(nginx.routed()).last().asString().endsWith("-> default/" + solverIngressName());
        }
        solver.close();
    }

    @Test
    void aSelfCheckThatMeetsAnHttpsRedirectFailsAndSaysSo() throws Exception {
        nginx.redirectToHttps(false);
        IngressHttp01Solver solver = solver(Duration.ofSeconds(2));

        try (Presentation p = solver.present(challenge("redirected-token"))) {
            assertThatThrownBy(() -> p.awaitVisible(Instant.now().plusSeconds(30))).isInstanceOf(SolverException.class)
                    .hasMessageContaining("HTTP 308").hasMessageContaining("https://" + HOST + "/.well-known/acme-challenge/redirected-token")
                    .hasMessageContaining("Let's Encrypt follows").hasMessageContaining("/.well-known/acme-challenge/")
                    .satisfies(e -> assertThat(((SolverException) e).isRetryable()).isTrue());
        }
        assertThat(answered("-> 308")).isPositive();
        assertThat(answered("-> default/" + solverIngressName())).as("never read the challenge").isZero();
        solver.close();
    }

    @Test
    void aControllerThatExemptsChallengesFromItsRedirectPassesTheSelfCheck() throws Exception {
        nginx.redirectToHttps(true);
        IngressHttp01Solver solver = solver(Duration.ofSeconds(30));

        try (Presentation p = solver.present(challenge("exempt-token"))) {
            p.awaitVisible(Instant.now().plusSeconds(30));
        }
        assertThat(answered("-> 308")).isZero();
        solver.close();
    }

    private String solverIngressName() {
        return api.inspector().network().v1().ingresses().inNamespace("default").list().getItems().stream()
                .map(i -> i.getMetadata().getName()).findFirst().orElse("(none)");
    }
}
