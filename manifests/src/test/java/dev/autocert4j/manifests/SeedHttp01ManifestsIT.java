package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.solver.http.JdkHttp01Handler;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.kubernetes.IngressControllerEmulator;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed's two HTTP-01 ClusterIssuers ({@code ingress.name: challenge}, {@code ingress.class: nginx}),
 * read verbatim and in v1 form, issue end to end: Pebble's VA → the emulated nginx ingress
 * controller → the Ingress the solver wrote on the mock API server → the application's responder.
 */
class SeedHttp01ManifestsIT {
    private static PebbleServer pebble;

    @BeforeAll
    static void startPebble() {
        pebble = PebbleServer.builder().authzReuse(0).start();
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"seed, http01-clusterissuer-ingress-name.yaml", "seed, http01-clusterissuer-ingress-class.yaml",
            "v1, http01-clusterissuer-ingress-name.yaml", "v1, http01-clusterissuer-ingress-class.yaml"})
    void issuesThroughTheSeedHttp01ClusterIssuer(String dir, String file) throws Exception {
        Http01Solver responder = Http01Solver.builder().mounted().build();
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        app.createContext("/", JdkHttp01Handler.of(responder));
        app.start();
        try (KubernetesMockApi api = new KubernetesMockApi();
                IngressControllerEmulator nginx = new IngressControllerEmulator(api.client(), "nginx", pebble.httpPort())) {
            nginx.backend("default", "app", 8080, app.getAddress().getPort());
            if (file.contains("name")) {
                createChallengeIngress(api);
            }
            Manifests manifests = Manifests.load(List.of(ManifestsTest.resource(dir, file), ManifestsTest.resource("extra", "http01-certificate.yaml")),
                    ManifestOptions.builder()
                            .acmeServerOverride(pebble.directoryUrl())
                            .trustedCertificates(pebble.tlsTrustAnchor())
                            .http01Solvers(config -> ingressSolver(api, config).responder(responder)
                                    .selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port())).selfCheckTimeout(Duration.ofSeconds(5))
                                    .build())
                            .build());
            assertThat(manifests.solvers()).singleElement().extracting(e -> e.solver()).isInstanceOf(IngressHttp01Solver.class);

            StoredCertificate issued;
            try (CertificateManager manager = manifests.applyTo(CertificateManager.builder())
                    .store(KubernetesSecretStore.of(api.client())).build()) {
                issued = manager.obtain(manifests.certificate("default", "www").orElseThrow());
            }

            assertThat(issued.leaf().getSubjectAlternativeNames()).extracting(san -> String.valueOf(san.get(1)))
                    .containsExactly("www.example.test");
            assertThat(api.client().secrets().inNamespace("default").withName("www-tls").get().getType()).isEqualTo("kubernetes.io/tls");
            String via = file.contains("name") ? "default/challenge" : "default/autocert4j-http01-";
            assertThat(nginx.routed()).anyMatch(line -> line.startsWith("www.example.test /.well-known/acme-challenge/") && line.contains(via));
            List<Ingress> left = api.client().network().v1().ingresses().inNamespace("default").list().getItems();
            assertThat(left).extracting(i -> i.getMetadata().getName()).containsExactlyElementsOf(file.contains("name") ? List.of("challenge") : List.of());
        } finally {
            app.stop(0);
        }
    }

    /** What IngressHttp01SolverFactory of autocert4j-manifests-k8s does, which this module cannot depend on. */
    private static IngressHttp01Solver.Builder ingressSolver(KubernetesMockApi api, Http01IngressConfig config) {
        IngressHttp01Solver.Builder b = IngressHttp01Solver.builder(api.client()).namespace("default").service("app", 8080);
        config.name().ifPresent(b::existingIngress);
        config.ingressClass().ifPresent(b::ingressClass);
        config.ingressClassName().ifPresent(b::ingressClassName);
        return b.labels(config.templateLabels()).annotations(config.templateAnnotations());
    }

    /** The seed's {@code ingress.name: challenge}: an Ingress of the application that already exists. */
    private static void createChallengeIngress(KubernetesMockApi api) {
        Ingress existing = new IngressBuilder().withNewMetadata().withName("challenge").withNamespace("default").endMetadata()
                .withNewSpec().withIngressClassName("nginx").addNewRule().withHost("shop.example.test").withNewHttp()
                .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName("shop")
                .withNewPort().withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build();
        api.client().network().v1().ingresses().inNamespace("default").resource(existing).create();
    }
}
