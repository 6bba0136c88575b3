package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.solver.http.ingress.internal.TemporaryIngresses;
import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.CrashPoint;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A child JVM presenting through the Ingress solver is killed with SIGKILL at an instant it blocks at (intent
 * journalled, nothing made yet; or route made, no confirmed handle): a new solver's {@code cleanUp} of the
 * journalled intent leaves no route behind at once, and foreign Ingresses and rules stay.
 */
class IngressCrashIT {
    private static final String CM_PATH = "/.well-known/acme-challenge/cm-token";
    private static final String MADE = TemporaryIngresses.name("crash.example.test", "tok-crash");
    private final KubernetesMockApi api = new KubernetesMockApi();

    @AfterEach
    void stop() {
        api.close();
    }

    private Ingress ingress(String name) {
        return api.inspector().network().v1().ingresses().inNamespace("default").withName(name).get();
    }

    private List<String> challengePaths() {
        return ingress("challenge").getSpec().getRules().stream().map(IngressRule::getHttp).flatMap(h -> h.getPaths().stream())
                .map(p -> p.getPath() + " -> " + p.getBackend().getService().getName()).sorted().toList();
    }

    private boolean routed() {
        return ingress(MADE) != null || challengePaths().stream().anyMatch(p -> p.contains("tok-crash"));
    }

    @ParameterizedTest(name = "{0} mode, killed at {1}")
    @CsvSource({"class, INTENT_WRITTEN", "class, CREATE_RETURNED", "name, INTENT_WRITTEN", "name, CREATE_RETURNED"})
    void aProcessKilledAtAnInstantOfPresentingLeavesNoRouteOnceANewSolverCleansUpItsIntent(String mode, String instant,
            @TempDir Path dir) throws Exception {
        api.inspector().network().v1().ingresses().inNamespace("default").resource(new IngressBuilder().withNewMetadata()
                .withName("challenge").withNamespace("default").endMetadata().withNewSpec()
                .addNewRule().withHost("shop.example.test").withNewHttp().addNewPath().withPath(CM_PATH).withPathType("Exact")
                .withNewBackend().withNewService().withName("cm-acme-http-solver").withNewPort().withNumber(80).endPort()
                .endService().endBackend().endPath().endHttp().endRule().endSpec().build()).create();
        Path journal = dir.resolve("journal");
        Path log = dir.resolve("child.log");
        ChildProcess child = ChildProcess.start("ingress crash child", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                IngressCrashChild.class.getName(), api.client().getMasterUrl().toString(), mode, instant, journal.toString()),
                Map.of(), dir, log);
        try {
            child.awaitReady(Duration.ofSeconds(60), () -> child.log().contains("STAGE " + instant));
        } finally {
            child.kill();
        }

        List<String> intents = Files.readAllLines(journal);
        assertThat(intents).hasSize(1);
        assertThat(routed()).as("the route exists exactly when the kill came after the create")
                .isEqualTo(instant.equals(CrashPoint.Instant.CREATE_RETURNED.name()));

        IngressHttp01Solver.Builder b = IngressHttp01Solver.builder(api.client()).namespace("default").service("app", 80);
        (mode.equals("name") ? b.existingIngress("challenge") : b.ingressClass("nginx")).build().cleanUp(intents.get(0));

        assertThat(routed()).isFalse();
        assertThat(challengePaths()).containsExactly(CM_PATH + " -> cm-acme-http-solver");
    }
}
