package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.store.k8s.SecretStoreCrashChildren;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.CrashPoint;
import dev.autocert4j.testing.kubernetes.IngressControllerEmulator;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A child JVM renewing through a {@link CertificateManager} with the Ingress HTTP-01 solver, Pebble, the
 * emulated ingress controller and the Kubernetes Secret store on the mock API server is killed (SIGKILL)
 * after the CA validated the challenge, after the order was finalised, or in the middle of saving the Secret.
 * The certificate stored before stays intact, and a new manager on the same store removes the Ingress rule or
 * temporary Ingress the dead one left, by itself (at start-up, or once the dead one's Lease has expired, under
 * the certificate's lock before it orders), and renews: no Ingress rule, no temporary Ingress and no journal
 * entry is left behind.
 */
class IngressManagerCrashIT {
    private static PebbleServer pebble;
    private KubernetesMockApi api;
    private IngressControllerEmulator nginx;
    private HttpServer app;
    private IngressHttp01Solver serving;
    private final List<KubernetesLeaseLockProvider> lockProviders = new java.util.ArrayList<>();

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
        if (serving != null) {
            serving.close();
        }
        lockProviders.forEach(KubernetesLeaseLockProvider::close);
        nginx.close();
        api.close();
    }

    /**
     * The application's pods: one responder behind Service default/app:8080 that answers every replica's tokens
     * from the Ingress annotations (the dead child's, the new manager's).
     */
    private void serveApp(String mode) throws Exception {
        serving = IngressManagerCrashChild.solver(api.client(), mode, nginx.port());
        app = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        app.createContext("/", serving.handler());
        app.start();
        nginx.backend("default", "app", 8080, app.getAddress().getPort());
    }

    private CertificateManager manager(String mode) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("letsencrypt-http01").directory(pebble.directoryUrl())
                        .trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(IngressManagerCrashChild.solver(api.client(), mode, nginx.port()))
                .store(KubernetesSecretStore.of(api.client())).lockProvider(lockProvider()).build();
    }

    private KubernetesLeaseLockProvider lockProvider() {
        KubernetesLeaseLockProvider locks = SecretStoreCrashChildren.shortLeases(api.client());
        lockProviders.add(locks);
        return locks;
    }

    private Ingress challengeIngress() {
        return api.inspector().network().v1().ingresses().inNamespace("default").withName("challenge").get();
    }

    private List<String> temporaryIngresses() {
        return api.inspector().network().v1().ingresses().inNamespace("default").list().getItems().stream()
                .map(i -> i.getMetadata().getName()).filter(n -> !n.equals("challenge")).toList();
    }

    private int pendingCleanups() throws Exception {
        return KubernetesSecretStore.of(api.inspector()).pendingCleanups().size();
    }

    private String secretVersion(Certificate spec) {
        return api.inspector().secrets().inNamespace("default").withName(spec.secretName()).get().getMetadata()
                .getResourceVersion();
    }

    /** Runs the child until it reaches the stage (for {@code STORE}: until it saved a few times), then kills it. */
    private void runChildUntilKilled(String mode, String stage, Certificate spec, Path dir) throws Exception {
        Path anchor = dir.resolve("pebble-tls.pem");
        Files.writeString(anchor, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())));
        ChildProcess child = ChildProcess.start("ingress manager crash child", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                IngressManagerCrashChild.class.getName(), api.client().getMasterUrl().toString(), mode, stage, spec.name(),
                pebble.directoryUrl().toString(), anchor.toString(), Integer.toString(nginx.port())),
                Map.of(), dir, dir.resolve("child-" + stage + ".log"));
        if (stage.equals("STORE")) {
            CrashPoint.killDuringSaves(child, () -> secretVersion(spec), Duration.ofSeconds(60));
        } else {
            CrashPoint.killAt(child, stage, Duration.ofSeconds(90));
        }
    }

    @ParameterizedTest(name = "{0} mode, killed at {1}")
    @CsvSource({"class, CHALLENGE_TRIGGERED", "class, ORDER_FINALISED", "name, CHALLENGE_TRIGGERED", "name, ORDER_FINALISED",
        "class, STORE"})
    void aNewManagerRemovesWhatAKilledManagerLeftInTheIngressesAndRenews(String mode, String stage, @TempDir Path dir)
            throws Exception {
        IngressSpec challengeBefore = null;
        if (mode.equals("name")) {
            api.inspector().network().v1().ingresses().inNamespace("default").resource(new IngressBuilder().withNewMetadata()
                    .withName("challenge").withNamespace("default").endMetadata().withNewSpec().withIngressClassName("nginx")
                    .addNewRule().withHost("shop.example.test").withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                    .withNewBackend().withNewService().withName("shop").withNewPort().withNumber(80).endPort().endService()
                    .endBackend().endPath().endHttp().endRule().endSpec().build()).create();
            challengeBefore = challengeIngress().getSpec();
        }
        serveApp(mode);
        Certificate spec = IngressManagerCrashChild.certificate("crash-" + mode + "-" + stage.toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-'));
        StoredCertificate before = manager(mode).obtain(spec);

        runChildUntilKilled(mode, stage, spec, dir);

        StoredCertificate afterCrash = KubernetesSecretStore.of(api.inspector()).load(spec).orElseThrow();
        assertThat(afterCrash.leaf()).as("the certificate stored before the crash").isEqualTo(before.leaf());
        assertThat(afterCrash.keyPair().getPublic()).isEqualTo(afterCrash.leaf().getPublicKey());
        if (!stage.equals("STORE")) {
            assertThat(pendingCleanups()).as("the journal the killed process left").isEqualTo(1);
            if (mode.equals("name")) {
                assertThat(challengeIngress().getSpec().getRules()).as("the rule the killed process left").hasSize(2);
            } else {
                assertThat(temporaryIngresses()).as("the temporary Ingress the killed process left").hasSize(1);
            }
        }

        // The stored certificate is still good: obtain returns it. The dead child's Lease still blocks the start-up
        // cleanup for a few seconds; the renewal waits for it, and under the lock removes what the child left.
        CertificateManager next = manager(mode);
        assertThat(next.obtain(spec).leaf()).isEqualTo(before.leaf());
        StoredCertificate renewed = next.renew(spec);

        assertThat(renewed.leaf().getSerialNumber()).isNotEqualTo(before.leaf().getSerialNumber());
        assertThat(KubernetesSecretStore.of(api.inspector()).load(spec).orElseThrow().leaf()).isEqualTo(renewed.leaf());
        assertThat(temporaryIngresses()).as("temporary Ingresses").isEmpty();
        if (mode.equals("name")) {
            assertThat(challengeIngress().getSpec()).as("the existing Ingress, as it was").isEqualTo(challengeBefore);
            assertThat(challengeIngress().getMetadata().getAnnotations()).as("key authorization annotations").isNullOrEmpty();
        }
        assertThat(pendingCleanups()).as("journal entries").isZero();
    }
}
