package dev.autocert4j.manifests.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autocert4j.manifests.ManifestException;
import dev.autocert4j.manifests.ManifestOptions;
import dev.autocert4j.manifests.Manifests;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
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
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            ManifestOptions options = ManifestOptions.builder()
                    .http01Solvers(IngressHttp01SolverFactory.of(api.client(), "default", "app", 8080, b -> { })).build();
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
    void refusesAServicePortOutsideTheTcpRangeAtOnce() {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            for (int port : new int[] {0, -1, 65536}) {
                assertThatThrownBy(() -> IngressHttp01SolverFactory.of(api.client(), "default", "app", port, b -> { }))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("servicePort must be within 1..65535");
            }
        }
    }
}
