package dev.autocert4j.manifests.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autocert4j.Identifier;
import dev.autocert4j.manifests.ManifestException;
import dev.autocert4j.manifests.ManifestOptions;
import dev.autocert4j.manifests.Manifests;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Moved from manifests' ManifestsTest with {@code Http01SolverFactory.ingress}. */
class IngressHttp01SolverFactoryTest {
    /** An ACME ClusterIssuer with one HTTP-01 solver, its {@code ingress} block given. */
    static String http01(String ingress) {
        return """
                apiVersion: cert-manager.io/v1
                kind: ClusterIssuer
                metadata:
                  name: letsencrypt-http01
                spec:
                  acme:
                    privateKeySecretRef:
                      name: letsencrypt-http01
                    server: https://acme-v02.api.letsencrypt.org/directory
                    solvers:
                    - http01:
                        ingress:
                """ + ingress + "\n";
    }

    @Test
    void refusesAnIngressBlockWithoutNameOrClass() {
        try (KubernetesMockApi api = new KubernetesMockApi(); Http01Solver responder = Http01Solver.builder().mounted().build()) {
            ManifestOptions options = ManifestOptions.builder().http01Solvers(IngressHttp01SolverFactory.builder(api.client())
                    .namespace("default").service("app", 8080).responder(responder).build()).build();
            String yaml = http01("          serviceType: NodePort");

            ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parse(yaml, "i.yaml", options));

            assertThat(e.field()).isEqualTo("spec.acme.solvers[0].http01.ingress");
            assertThat(e.problem()).contains("set one of name (an existing Ingress), class or ingressClassName");
            assertThat(Manifests.parse(http01("          ingressClassName: nginx"), "ok.yaml", options).solvers())
                    .singleElement().extracting(SolverSet.Entry::solver)
                    .isInstanceOf(IngressHttp01Solver.class);
        }
    }

    @Test
    void refusesAFactoryWithoutTheApplicationsResponder() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            assertThatThrownBy(() -> IngressHttp01SolverFactory.builder(api.client()).namespace("default").service("app", 8080)
                    .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("needs responder(http01)");
        }
    }

    @Test
    @SuppressWarnings("try") // the presentation is held open by the try block
    void everySolverTheManifestsMakeAnswersThroughTheOneResponderAlsoForAnotherReplica() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi(); Http01Solver responder = Http01Solver.builder().mounted().build();
                IngressHttp01SolverFactory factory = IngressHttp01SolverFactory.builder(api.client()).namespace("default")
                        .service("app", 8080).responder(responder).selfCheckAddress(new InetSocketAddress("127.0.0.1", 8089))
                        .build()) {
            Manifests.parse(http01("          ingressClassName: nginx"), "ok.yaml",
                    ManifestOptions.builder().http01Solvers(factory).build());
            try (IngressHttp01Solver otherReplica = IngressHttp01Solver.builder(api.newClient()).namespace("default")
                    .service("app", 8080).ingressClassName("nginx").fixedWait(Duration.ZERO).build();
                    Presentation p = otherReplica.present(new ChallengeRequest(ChallengeType.HTTP_01,
                            Identifier.dns("www.example.test"), "tok-manifest", "tok-manifest.t"))) {
                Poll.until(Duration.ofSeconds(10), () -> responder.respond("/.well-known/acme-challenge/tok-manifest").isPresent(),
                        () -> "the responder did not answer the other replica's token within 10 s");
                assertThat(responder.respond("/.well-known/acme-challenge/tok-manifest")).contains("tok-manifest.t");

                factory.close();
                assertThat(responder.respond("/.well-known/acme-challenge/tok-manifest")).as("after the factory is closed")
                        .isEmpty();
            }
        }
    }

    @Test
    void refusesAServicePortOutsideTheTcpRangeAtOnce() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            for (int port : new int[] {0, -1, 65536}) {
                assertThatThrownBy(() -> IngressHttp01SolverFactory.builder(api.client()).service("app", port))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port must be within 1..65535");
            }
        }
    }
}
