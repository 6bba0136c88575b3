package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.http.ingress.internal.TemporaryIngresses;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cleanup handles come from a journal others can write: only what the solver could have made is removed. */
class IngressCleanupScopeTest {
    private final KubernetesMockApi api = new KubernetesMockApi();

    @AfterEach
    void stop() {
        api.close();
    }

    private IngressHttp01Solver temporarySolver() {
        return IngressHttp01Solver.builder(api.client()).namespace("default").service("app", 80).ingressClass("nginx").build();
    }

    private Ingress create(String namespace, String name, Map<String, String> labels) {
        return create(namespace, name, labels, "/", "shop");
    }

    private Ingress create(String namespace, String name, Map<String, String> labels, String path, String service) {
        return api.inspector().network().v1().ingresses().inNamespace(namespace).resource(new IngressBuilder().withNewMetadata()
                .withName(name).withNamespace(namespace).withLabels(labels).endMetadata().withNewSpec()
                .addNewRule().withHost("shop.example.test").withNewHttp().addNewPath().withPath(path).withPathType("Exact")
                .withNewBackend().withNewService().withName(service).withNewPort().withNumber(80).endPort().endService()
                .endBackend().endPath().endHttp().endRule().endSpec().build()).create();
    }

    private IngressSpec spec(String name) {
        return api.inspector().network().v1().ingresses().inNamespace("default").withName(name).get().getSpec();
    }

    private boolean exists(String namespace, String name) {
        return api.inspector().network().v1().ingresses().inNamespace(namespace).withName(name).get() != null;
    }

    @Test
    void forgedHandlesForIngressesOutsideTheSolversScopeAreDroppedAndEveryIngressSurvives() throws Exception {
        String schemeName = TemporaryIngresses.name("a.example.test", "tok");
        Map<String, String> ourLabel = Map.of(IngressHttp01Solver.SOLVER_LABEL, "true");
        create("default", schemeName, Map.of("app", "shop"));                  // our name scheme, no label
        create("other", TemporaryIngresses.name("b.example.test", "tok"), ourLabel);   // another namespace
        create("default", "shop", ourLabel);                                   // our label, another name
        IngressHttp01Solver solver = temporarySolver();

        solver.cleanUp("v1|CLASS|default|" + schemeName + "|a.example.test|tok");
        solver.cleanUp("v1|CLASS|other|" + TemporaryIngresses.name("b.example.test", "tok") + "|b.example.test|tok");
        solver.cleanUp("v1|CLASS|default|shop|a.example.test|tok");
        solver.cleanUp("v1|INGRESS_CLASS_NAME|default|shop|a.example.test|tok");
        solver.cleanUp("v1|NAME|default|shop|shop.example.test|tok");
        solver.cleanUp("v1|CLASS|default|" + schemeName + "|a.example.test|../../x");
        solver.cleanUp("dns-01|zone|record");

        assertThat(exists("default", schemeName)).as("an Ingress without the solver's label").isTrue();
        assertThat(exists("other", TemporaryIngresses.name("b.example.test", "tok"))).as("in another namespace").isTrue();
        assertThat(exists("default", "shop")).as("labelled, but not of the solver's name scheme").isTrue();
        assertThat(api.inspector().network().v1().ingresses().inNamespace("default").withName("shop").get().getSpec().getRules())
                .as("a NAME handle for an Ingress the solver does not edit").hasSize(1);
    }

    @Test
    void aForgedHandleForTheExistingIngressRemovesNoRuleOfAnotherServiceNorOfAnotherIngress() throws Exception {
        // cert-manager's own solver rule for the same path, in the Ingress this solver edits.
        create("default", "challenge", Map.of(), "/.well-known/acme-challenge/x", "cm-acme-http-solver");
        // A rule that looks like ours, in an Ingress this solver does not edit.
        create("default", "other", Map.of(), "/.well-known/acme-challenge/x", "app");
        IngressSpec challenge = spec("challenge");
        IngressSpec other = spec("other");
        IngressHttp01Solver solver = IngressHttp01Solver.builder(api.client()).namespace("default").service("app", 80)
                .existingIngress("challenge").build();

        solver.cleanUp("v1|NAME|default|challenge|shop.example.test|x");
        solver.cleanUp("v1|NAME|default|other|shop.example.test|x");

        assertThat(spec("challenge")).isEqualTo(challenge);
        assertThat(spec("other")).isEqualTo(other);
    }

    @Test
    void aGenuineHandleStillRemovesItsTemporaryIngress() throws Exception {
        IngressHttp01Solver dead = temporarySolver();
        Presentation p = dead.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.test"), "tok",
                "tok.k"));
        assertThat(exists("default", TemporaryIngresses.name("a.example.test", "tok"))).isTrue();

        temporarySolver().cleanUp(p.cleanupHandle().orElseThrow());

        assertThat(exists("default", TemporaryIngresses.name("a.example.test", "tok"))).isFalse();
    }
}
