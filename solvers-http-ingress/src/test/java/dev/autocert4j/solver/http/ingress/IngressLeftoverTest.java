package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.http.ingress.internal.TemporaryIngresses;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A process that dies between creating a route and journalling its handle leaves a route no
 * journal names: the next solver finds it by label and challenge path on first use, and leaves
 * foreign Ingresses and live routes of other replicas alone.
 */
class IngressLeftoverTest {
    private static final Map<String, String> OUR_LABEL = Map.of(IngressHttp01Solver.SOLVER_LABEL, "true");
    private final KubernetesMockApi api = new KubernetesMockApi();

    @AfterEach
    void stop() {
        api.close();
    }

    private IngressHttp01Solver solver(UnaryOperator<IngressHttp01Solver.Builder> mode, Clock clock) {
        return mode.apply(IngressHttp01Solver.builder(api.client()).namespace("default").service("app", 80)).clock(clock).build();
    }

    private static ChallengeRequest challenge(String host, String token) {
        return new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns(host), token, token + ".thumbprint");
    }

    private void create(String namespace, String name, Map<String, String> labels, String path, String service) {
        api.inspector().network().v1().ingresses().inNamespace(namespace).resource(new IngressBuilder().withNewMetadata()
                .withName(name).withNamespace(namespace).withLabels(labels).endMetadata().withNewSpec()
                .addNewRule().withHost("shop.example.test").withNewHttp().addNewPath().withPath(path).withPathType("Exact")
                .withNewBackend().withNewService().withName(service).withNewPort().withNumber(80).endPort().endService()
                .endBackend().endPath().endHttp().endRule().endSpec().build()).create();
    }

    private List<String> names(String namespace) {
        return api.inspector().network().v1().ingresses().inNamespace(namespace).list().getItems().stream()
                .map(i -> i.getMetadata().getName()).sorted().toList();
    }

    private List<String> challengePaths() {
        Ingress challenge = api.inspector().network().v1().ingresses().inNamespace("default").withName("challenge").get();
        return challenge.getSpec().getRules().stream().map(IngressRule::getHttp).flatMap(h -> h.getPaths().stream())
                .map(p -> p.getPath() + " -> " + p.getBackend().getService().getName()).sorted().toList();
    }

    @Test
    void aTemporaryIngressThatNoJournalNamesIsRemovedByTheNextSolverOnFirstUseAndForeignOnesAreKept() throws Exception {
        String leftover = TemporaryIngresses.name("gone.example.test", "tok-gone");
        solver(b -> b.ingressClass("nginx"), Clock.systemUTC()).present(challenge("gone.example.test", "tok-gone"));
        // ... and the process died before the handle reached the journal. Foreign Ingresses beside it:
        create("default", TemporaryIngresses.NAME_PREFIX + "000000000000", Map.of(), "/", "shop");   // our name, no label
        create("default", "shop", OUR_LABEL, "/", "shop");                                            // our label, other name
        create("other", TemporaryIngresses.NAME_PREFIX + "111111111111", OUR_LABEL, "/", "shop");    // other namespace
        assertThat(names("default")).contains(leftover);

        // Same configuration, an hour and a minute later: the leftover is older than any live order.
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(61));
        IngressHttp01Solver next = solver(b -> b.ingressClass("nginx"), later);
        next.present(challenge("new.example.test", "tok-new"));

        assertThat(names("default")).containsExactlyInAnyOrder(TemporaryIngresses.name("new.example.test", "tok-new"),
                TemporaryIngresses.NAME_PREFIX + "000000000000", "shop");
        assertThat(names("other")).hasSize(1);
    }

    @Test
    void aRuleThatNoJournalNamesIsRemovedFromTheExistingIngressByTheNextSolversCleanUpOfAnyEntry() throws Exception {
        create("default", "challenge", Map.of(), "/.well-known/acme-challenge/cm-token", "cm-acme-http-solver");
        solver(b -> b.existingIngress("challenge"), Clock.systemUTC()).present(challenge("gone.example.test", "tok-gone"));
        assertThat(challengePaths()).hasSize(2);

        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(61));
        // Any entry of the journal: here one whose route is gone already.
        solver(b -> b.existingIngress("challenge"), later).cleanUp("v1|NAME|default|challenge|other.example.test|tok-other");

        assertThat(challengePaths()).as("cert-manager's rule stays").containsExactly(
                "/.well-known/acme-challenge/cm-token -> cm-acme-http-solver");
        assertThat(api.inspector().network().v1().ingresses().inNamespace("default").withName("challenge").get().getMetadata()
                .getAnnotations()).isNullOrEmpty();
    }

    @Test
    void aLiveRouteOfAnotherReplicaIsNotTakenForALeftover() throws Exception {
        create("default", "challenge", Map.of(), "/", "web");
        solver(b -> b.existingIngress("challenge"), Clock.systemUTC()).present(challenge("live.example.test", "tok-live"));
        solver(b -> b.ingressClass("nginx"), Clock.systemUTC()).present(challenge("live.example.test", "tok-live2"));

        IngressHttp01Solver restarted = solver(b -> b.existingIngress("challenge"), Clock.systemUTC());
        restarted.present(challenge("new.example.test", "tok-new"));

        assertThat(challengePaths()).contains("/.well-known/acme-challenge/tok-live -> app", "/.well-known/acme-challenge/tok-new -> app");
        assertThat(names("default")).contains(TemporaryIngresses.name("live.example.test", "tok-live2"));
    }
}
