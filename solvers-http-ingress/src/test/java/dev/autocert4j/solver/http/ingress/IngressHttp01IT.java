package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PreflightException;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.ValidationFailedException;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.kubernetes.IngressControllerEmulator;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end: Pebble's VA → the emulated ingress controller (on Pebble's HTTP-01 port) → the
 * Ingress rule the solver wrote on the mock API server → the application's own responder (a JDK
 * server with the solver's handler) → a certificate in a Kubernetes Secret.
 */
class IngressHttp01IT {
    private static PebbleServer pebble;
    private KubernetesMockApi api;
    private IngressControllerEmulator nginx;
    private HttpServer app;

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

    @BeforeEach
    void startCluster() {
        api = new KubernetesMockApi();
        nginx = new IngressControllerEmulator(api.inspector(), "nginx", pebble.httpPort());
    }

    @AfterEach
    void stopCluster() {
        if (app != null) {
            app.stop(0);
        }
        nginx.close();
        api.close();
    }

    /** The application's pod: serves the solver's handler; mapped as Service default/app:8080. */
    private void serveApp(IngressHttp01Solver solver) throws Exception {
        app = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        app.createContext("/", solver.handler());
        app.start();
        nginx.backend("default", "app", 8080, app.getAddress().getPort());
    }

    private IngressHttp01Solver.Builder solver(Function<IngressHttp01Solver.Builder, IngressHttp01Solver.Builder> mode) {
        return mode.apply(IngressHttp01Solver.builder(api.client()).namespace("default").service("app", 8080))
                .selfCheckTimeout(Duration.ofSeconds(3));
    }

    private IngressHttp01Solver.Builder solverFor(String mode) {
        return switch (mode) {
            case "name" -> solver(b -> b.existingIngress("challenge"));
            case "class" -> solver(b -> b.ingressClass("nginx"));
            default -> solver(b -> b.ingressClassName("nginx"));
        };
    }

    private CertificateManager manager(IngressHttp01Solver solver) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("letsencrypt-http01").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(solver).store(KubernetesSecretStore.of(api.client())).build();
    }

    private static Certificate cert(String name) {
        return Certificate.builder(name).namespace("default").secretName(name + "-tls").dnsNames(name + ".example.test")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt-http01")).build();
    }

    /** The seed's {@code ingress.name: challenge}: an Ingress of the application that already exists. */
    private Ingress createChallengeIngress() {
        Ingress existing = new IngressBuilder().withNewMetadata().withName("challenge").withNamespace("default").endMetadata()
                .withNewSpec().withIngressClassName("nginx").addNewRule().withHost("shop.example.test").withNewHttp()
                .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName("shop")
                .withNewPort().withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build();
        return api.inspector().network().v1().ingresses().inNamespace("default").resource(existing).create();
    }

    private static List<String> sans(StoredCertificate issued) throws Exception {
        return issued.leaf().getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
    }

    private List<Ingress> ingresses() {
        return api.inspector().network().v1().ingresses().inNamespace("default").list().getItems();
    }

    private IngressSpec challengeSpec() {
        return api.inspector().network().v1().ingresses().inNamespace("default").withName("challenge").get().getSpec();
    }

    @ParameterizedTest(name = "ingress mode {0}")
    @ValueSource(strings = {"name", "class", "ingressClassName"})
    void issuesThroughTheIngressTheSolverWroteAndLeavesNothingBehind(String mode) throws Exception {
        IngressSpec before = mode.equals("name") ? createChallengeIngress().getSpec() : null;
        IngressHttp01Solver solver = solverFor(mode).selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port())).build();
        serveApp(solver);

        StoredCertificate issued = manager(solver).obtain(cert("www"));

        assertThat(sans(issued)).containsExactly("www.example.test");
        Secret secret = api.inspector().secrets().inNamespace("default").withName("www-tls").get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        String routedVia = mode.equals("name") ? "default/challenge" : "default/" + "autocert4j-http01-";
        assertThat(nginx.routed()).as("the CA's and the self-check's requests went through the Ingress")
                .anyMatch(line -> line.startsWith("www.example.test /.well-known/acme-challenge/") && line.contains(routedVia));
        if (mode.equals("name")) {
            assertThat(ingresses()).singleElement().extracting(i -> i.getMetadata().getName()).isEqualTo("challenge");
            assertThat(challengeSpec()).as("the existing Ingress is as it was").isEqualTo(before);
            assertThat(api.inspector().network().v1().ingresses().inNamespace("default").withName("challenge").get()
                    .getMetadata().getAnnotations()).isNullOrEmpty();
        } else {
            assertThat(ingresses()).as("temporary Ingresses after success").isEmpty();
        }
    }

    @Test
    void theWrongIngressClassFailsTheSelfCheckClearlyAndRemovesTheTemporaryIngress() throws Exception {
        IngressHttp01Solver solver = solver(b -> b.ingressClassName("traefik"))
                .selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port())).build();
        serveApp(solver);
        int ordersBefore = pebble.orderCount();

        assertThatThrownBy(() -> manager(solver).obtain(cert("wrong-class"))).isInstanceOf(SolverException.class)
                .hasMessageContaining("Self-check failed").hasMessageContaining("HTTP 404")
                .hasMessageContaining("ingressClassName traefik");

        assertThat(pebble.orderCount()).isEqualTo(ordersBefore + 1);
        assertThat(ingresses()).as("temporary Ingresses after failure").isEmpty();
    }

    @Test
    void aMissingExistingIngressIsFoundBeforeTheOrder() throws Exception {
        IngressHttp01Solver solver = solver(b -> b.existingIngress("challenge"))
                .selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port())).build();
        serveApp(solver);
        List<CertificateEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("letsencrypt-http01").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(solver).store(KubernetesSecretStore.of(api.client())).listener(events::add).build();
        int ordersBefore = pebble.orderCount();

        assertThatThrownBy(() -> manager.obtain(cert("missing"))).isInstanceOf(PreflightException.class)
                .hasMessageContaining("Ingress default/challenge does not exist: create it, or name an existing Ingress");

        assertThat(pebble.orderCount()).as("orders at Pebble").isEqualTo(ordersBefore);
        assertThat(events).extracting(CertificateEvent::type)
                .doesNotContain(CertificateEvent.Type.GENERATED, CertificateEvent.Type.ORDER_CREATED);
        assertThat(manager.status(cert("missing")).failedIssuanceAttempts()).isEqualTo(1);
        assertThat(ingresses()).as("the preflight creates nothing").isEmpty();
    }

    /** The README's RBAC Role (its first YAML document with {@code kind: Role}), moved to {@code namespace}. */
    private static Role readmeRole(String namespace) throws Exception {
        Matcher block = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("..", "README.md")));
        while (block.find()) {
            String first = block.group(1).split("\\n---")[0];
            if (first.contains("\nkind: Role\n")) {
                Role role = Serialization.unmarshal(first, Role.class);
                role.getMetadata().setNamespace(namespace);
                return role;
            }
        }
        throw new AssertionError("README.md has no Role");
    }

    @Test
    void theReadmesRoleLetsTheSolverIssueAfterItsPermissionsWereReviewed() throws Exception {
        api.bindRole(readmeRole("default"));
        IngressHttp01Solver solver = solver(b -> b.ingressClassName("nginx"))
                .selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port())).build();
        serveApp(solver);

        StoredCertificate issued = manager(solver).obtain(cert("allowed"));

        assertThat(sans(issued)).containsExactly("allowed.example.test");
        assertThat(api.requests()).as("one review per verb of the Role's Ingress rule")
                .filteredOn(r -> r.resource().equals("selfsubjectaccessreviews")).hasSize(6);
    }

    @Test
    void aRoleWithoutUpdateAndDeleteOnIngressesFailsBeforeTheOrderNamingTheVerbsAndTheRule() throws Exception {
        Role role = readmeRole("default");
        role.getRules().stream().filter(rule -> rule.getResources().contains("ingresses"))
                .forEach(rule -> rule.setVerbs(List.of("get", "list", "watch", "create")));
        api.bindRole(role);
        IngressHttp01Solver solver = solver(b -> b.ingressClassName("nginx"))
                .selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port())).build();
        serveApp(solver);
        List<CertificateEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("letsencrypt-http01").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(solver).store(KubernetesSecretStore.of(api.client())).listener(events::add).build();
        int ordersBefore = pebble.orderCount();

        assertThatThrownBy(() -> manager.obtain(cert("denied"))).isInstanceOf(PreflightException.class)
                .hasMessageContaining("may not update, delete ingresses (networking.k8s.io) in namespace default")
                .hasMessageContaining("verbs: [get, list, watch, create, update, delete]");

        assertThat(pebble.orderCount()).as("orders at Pebble").isEqualTo(ordersBefore);
        assertThat(events).extracting(CertificateEvent::type)
                .doesNotContain(CertificateEvent.Type.GENERATED, CertificateEvent.Type.ORDER_CREATED);
        assertThat(manager.status(cert("denied")).failedIssuanceAttempts()).isEqualTo(1);
        assertThat(ingresses()).as("the preflight creates nothing").isEmpty();
    }

    @Test
    void aFailedValidationAtTheCaAlsoRemovesTheRuleFromTheExistingIngress() throws Exception {
        createChallengeIngress();
        IngressSpec before = challengeSpec();
        // fixedWait skips the self-check; nothing serves the path, so Pebble's validation fails.
        IngressHttp01Solver solver = solver(b -> b.existingIngress("challenge")).fixedWait(Duration.ZERO).build();

        assertThatThrownBy(() -> manager(solver).obtain(cert("unserved"))).isInstanceOf(ValidationFailedException.class);

        assertThat(challengeSpec()).isEqualTo(before);
    }

    @ParameterizedTest(name = "ingress mode {0}")
    @ValueSource(strings = {"name", "class"})
    void aNewManagerRemovesWhatAKilledProcessLeftInTheIngresses(String mode) throws Exception {
        IngressSpec before = mode.equals("name") ? createChallengeIngress().getSpec() : null;
        KubernetesSecretStore store = KubernetesSecretStore.of(api.client());
        // The dead process: presented, journaled, never closed.
        IngressHttp01Solver dead = solverFor(mode).build();
        Presentation leftover = dead.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("gone.example.test"),
                "tok-1234567890", "tok-1234567890.thumbprint"));
        store.recordPendingCleanup(new PendingCleanup("default/gone", dead.solverId(), leftover.cleanupHandle().orElseThrow()));
        assertThat(mode.equals("name") ? challengeSpec().getRules() : ingresses()).hasSize(mode.equals("name") ? 2 : 1);

        IngressHttp01Solver restarted = solverFor(mode).build();
        int removed = manager(restarted).cleanUpLeftovers();

        assertThat(removed).isEqualTo(1);
        assertThat(store.pendingCleanups()).isEmpty();
        if (mode.equals("name")) {
            assertThat(challengeSpec()).isEqualTo(before);
        } else {
            assertThat(ingresses()).isEmpty();
        }
    }

    @Test
    void sweepRemovesEveryLeftoverOfTheSolverEvenWithoutAJournal() throws Exception {
        createChallengeIngress();
        IngressSpec before = challengeSpec();
        IngressHttp01Solver dead = solver(b -> b.existingIngress("challenge")).build();
        dead.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.test"), "tok-a", "tok-a.t"));
        dead.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("b.example.test"), "tok-b", "tok-b.t"));
        IngressHttp01Solver temporary = solver(b -> b.ingressClass("nginx")).build();
        temporary.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("c.example.test"), "tok-c", "tok-c.t"));

        assertThat(solver(b -> b.existingIngress("challenge")).build().sweep()).isEqualTo(3);

        assertThat(ingresses()).singleElement().extracting(i -> i.getMetadata().getName()).isEqualTo("challenge");
        assertThat(challengeSpec()).isEqualTo(before);
    }

    @Test
    void anotherReplicaAnswersTheChallengeFromTheIngressAnnotation() throws Exception {
        IngressHttp01Solver ordering = solver(b -> b.ingressClass("nginx"))
                .selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port())).build();
        IngressHttp01Solver otherReplica = solver(b -> b.ingressClass("nginx")).build();
        serveApp(otherReplica); // the Service sends every request to the replica that did not order

        StoredCertificate issued = manager(ordering).obtain(cert("replicated"));

        assertThat(sans(issued)).containsExactly("replicated.example.test");
        assertThat(ingresses()).isEmpty();
    }

    @Test
    void wildcardsAreRefusedBeforeAnythingIsOrdered() {
        IngressHttp01Solver solver = solver(b -> b.ingressClass("nginx")).build();
        int ordersBefore = pebble.orderCount();
        Certificate wildcard = Certificate.builder("wild").dnsNames("*.example.test")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt-http01")).build();

        assertThatThrownBy(() -> manager(solver).obtain(wildcard)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("*.example.test");
        assertThat(pebble.orderCount()).isEqualTo(ordersBefore);
    }

    @Test
    void theSelfCheckWaitsUntilTheIngressRoutesTheChallenge() throws Exception {
        IngressHttp01Solver solver = solver(b -> b.ingressClass("nginx"))
                .selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port())).build();
        // No backend yet: the controller answers 503 until the Service has endpoints.
        Presentation p = solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("late.example.test"),
                "tok-late", "tok-late.t"));
        Thread late = new Thread(() -> {
            try {
                // The backend comes up only after the self-check has been answered 503 at least once.
                Poll.until(Duration.ofSeconds(10), () -> nginx.routed().stream().anyMatch(l -> l.startsWith("late.example.test")),
                        () -> "the self-check asked nothing for late.example.test in 10 s: " + nginx.routed());
                serveApp(solver);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        late.start();
        try (p) {
            p.awaitVisible(Instant.now().plusSeconds(10));
        }
        assertThat(nginx.routed()).filteredOn(l -> l.startsWith("late.example.test")).hasSizeGreaterThan(1);
        assertThat(ingresses()).isEmpty();
    }

    @Test
    void eightChallengesAtOnceOnTheExistingIngressLoseNoRule() throws Exception {
        createChallengeIngress();
        IngressSpec before = challengeSpec();
        IngressHttp01Solver solver = solver(b -> b.existingIngress("challenge")).build();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<Presentation> presented = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                futures.add(pool.submit(() -> presented.add(solver.present(new ChallengeRequest(ChallengeType.HTTP_01,
                        Identifier.dns("host" + n + ".example.test"), "tok-" + n, "tok-" + n + ".t")))));
            }
            for (var f : futures) {
                f.get();
            }
            assertThat(challengeSpec().getRules()).as("every concurrent writer's rule is there").hasSize(9);
            for (int i = 0; i < 8; i++) {
                assertThat(solver.respond("/.well-known/acme-challenge/tok-" + i)).contains("tok-" + i + ".t");
            }

            futures.clear();
            for (Presentation p : presented) {
                futures.add(pool.submit(() -> {
                    p.close();
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(challengeSpec()).isEqualTo(before);
    }
}
