package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The solver's configuration errors and refusals, against the mock API server. */
class IngressHttp01SolverTest {
    private final KubernetesMockApi api = new KubernetesMockApi();

    @AfterEach
    void stop() {
        api.close();
    }

    private IngressHttp01Solver.Builder builder() {
        return IngressHttp01Solver.builder(api.client());
    }

    @Test
    void eachMissingPieceIsNamed() {
        assertThatThrownBy(() -> builder().service("app", 80).ingressClass("nginx").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("namespace(");
        assertThatThrownBy(() -> builder().namespace("default").ingressClass("nginx").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("service(name, port)");
        assertThatThrownBy(() -> builder().namespace("default").service("app", 80).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("existingIngress(name), ingressClass(class)");
    }

    @Test
    void badValuesAreRefusedWithWhatToChange() {
        assertThatThrownBy(() -> builder().namespace("Default")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace \"Default\" is not a Kubernetes object name");
        assertThatThrownBy(() -> builder().service("app", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..65535");
        assertThatThrownBy(() -> builder().ingressClass("nginx").ingressClassName("nginx"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> builder().selfCheckTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().labels(java.util.Map.of("team name", "web"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label key \"team name\" is not a Kubernetes key");
        assertThatThrownBy(() -> builder().labels(java.util.Map.of("team", "-web"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("which Kubernetes refuses");
        assertThatThrownBy(() -> builder().annotations(java.util.Map.of("Example.com/x", "y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("annotation key");
        assertThatThrownBy(() -> builder().fixedWait(Duration.ZERO).fixedWait(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("set it once");
        assertThatThrownBy(() -> builder().namespace("default").service("app", 80).ingressClass("nginx")
                .fixedWait(Duration.ofSeconds(1)).selfCheckAddress(new InetSocketAddress("127.0.0.1", 80)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fixedWait and selfCheckAddress");
    }

    @Test
    void solvesPlainDnsNamesOnly() throws Exception {
        IngressHttp01Solver solver = builder().namespace("default").service("app", 80).ingressClass("nginx").build();

        assertThat(solver.canSolve(Identifier.dns("www.example.test"))).isTrue();
        assertThat(solver.canSolve(Identifier.dns("*.example.test"))).isFalse();
        assertThat(solver.canSolve(Identifier.ip("192.0.2.1"))).isFalse();
        assertThatThrownBy(() -> solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.ip("192.0.2.1"), "t",
                "t.k"))).isInstanceOf(SolverException.class).hasMessageContaining("use DNS-01 for wildcards");
        assertThatThrownBy(() -> solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.test"),
                "../etc", "x"))).isInstanceOf(SolverException.class).hasMessageContaining("not base64url");
        assertThat(api.inspector().network().v1().ingresses().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void anApiServerThatDoesNotAnswerIsNamedWithTheCauseNotAsHttp0() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // closed again below: nothing listens there
        }
        try (io.fabric8.kubernetes.client.KubernetesClient unreachable = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port)
                        .withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).withRequestTimeout(2000).build()).build()) {
            IngressHttp01Solver solver = IngressHttp01Solver.builder(unreachable).namespace("default").service("app", 80)
                    .ingressClass("nginx").build();

            assertThatThrownBy(() -> solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.test"),
                    "tok", "tok.k"))).isInstanceOf(SolverException.class)
                    .hasMessageContaining("No answer from the Kubernetes API server while creating Ingress default/")
                    .hasMessageContaining("Connection refused").hasMessageNotContaining("HTTP 0")
                    .hasCauseInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                    .satisfies(e -> assertThat(((SolverException) e).isRetryable()).isTrue());
        }
    }

    @Test
    void aNamedIngressThatDoesNotExistIsAClearFailureAndLeavesNothing() {
        IngressHttp01Solver solver = builder().namespace("default").service("app", 80).existingIngress("challenge").build();

        assertThatThrownBy(() -> solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.test"),
                "tok", "tok.k"))).isInstanceOf(SolverException.class)
                .hasMessageContaining("Ingress default/challenge does not exist");
        assertThat(solver.respond("/.well-known/acme-challenge/tok")).as("the token is not served either").isEmpty();
    }

    @Test
    void aForeignCleanupHandleIsDroppedAndAGoneRouteIsNoError() throws Exception {
        IngressHttp01Solver solver = builder().namespace("default").service("app", 80).ingressClass("nginx").build();

        solver.cleanUp("dns-01|zone|record"); // logged and dropped: it would never parse, so keeping it helps no one
        solver.cleanUp("v1|CLASS|default|autocert4j-http01-000000000000|a.example.test|tok");
        assertThat(solver.toString()).contains("kubernetes.io/ingress.class=nginx", "default/app:80");
    }

    @Test
    void aTemporaryIngressCarriesCertManagersSolverLabelAndTheTemplatesLabelsAndAnnotations() throws Exception {
        IngressHttp01Solver solver = builder().namespace("shop").service("shop-acme", 80).ingressClassName("nginx")
                .labels(java.util.Map.of("team", "shop")).annotations(java.util.Map.of("example.com/owner", "shop")).build();

        var presentation = solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("shop.example.test"),
                "tok", "tok.k"));
        try {
            var ingresses = api.inspector().network().v1().ingresses().inNamespace("shop").list().getItems();

            assertThat(ingresses).hasSize(1);
            assertThat(ingresses.get(0).getMetadata().getLabels())
                    .as("the README's labels, as cert-manager's solver and the solver's own")
                    .containsEntry("acme.cert-manager.io/http01-solver", "true")
                    .containsEntry("autocert4j.dev/http01-solver", "true")
                    .as("labels(...), as cert-manager's ingressTemplate").containsEntry("team", "shop");
            assertThat(ingresses.get(0).getMetadata().getAnnotations()).containsEntry("example.com/owner", "shop");
            assertThat(ingresses.get(0).getMetadata().getName()).startsWith("autocert4j-http01-");
        } finally {
            presentation.close();
        }
        assertThat(api.inspector().network().v1().ingresses().inNamespace("shop").list().getItems()).as("deleted after use").isEmpty();
    }
}
