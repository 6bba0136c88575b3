package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.IntentJournal;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.ingress.internal.TemporaryIngresses;
import dev.autocert4j.testing.kubernetes.ApiRequest;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Intent before effect: the route's handle is journalled before the rule or temporary Ingress is made,
 * so a process that dies right after making it leaves an entry from which the next solver removes it at
 * once (no {@code leftoverAge} wait); an entry for a route never made removes nothing.
 */
class IngressIntentTest {
    private static final Map<String, String> OUR_LABEL = Map.of(IngressHttp01Solver.SOLVER_LABEL, "true");
    private static final String CM_PATH = "/.well-known/acme-challenge/cm-token";
    private final KubernetesMockApi api = new KubernetesMockApi();

    @AfterEach
    void stop() {
        api.close();
    }

    private IngressHttp01Solver solver(UnaryOperator<IngressHttp01Solver.Builder> mode) {
        return mode.apply(IngressHttp01Solver.builder(api.client()).namespace("default").service("app", 80)).build();
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

    private Ingress ingress(String name) {
        return api.inspector().network().v1().ingresses().inNamespace("default").withName(name).get();
    }

    private List<String> names(String namespace) {
        return api.inspector().network().v1().ingresses().inNamespace(namespace).list().getItems().stream()
                .map(i -> i.getMetadata().getName()).sorted().toList();
    }

    private List<String> challengePaths() {
        return ingress("challenge").getSpec().getRules().stream().map(IngressRule::getHttp).flatMap(h -> h.getPaths().stream())
                .map(p -> p.getPath() + " -> " + p.getBackend().getService().getName()).sorted().toList();
    }

    /** A journal stand-in that records each intent and whether the Ingress it names existed at that moment. */
    private final class RecordingJournal implements IntentJournal {
        final List<String> intents = new ArrayList<>();
        final List<String> seenAtRecord = new ArrayList<>();

        @Override
        public void recordIntent(String cleanupHandle) {
            intents.add(cleanupHandle);
            seenAtRecord.add(names("default") + " " + (ingress("challenge") == null ? "" : challengePaths()));
        }
    }

    @Test
    void aTemporaryIngressMadeAfterItsIntentIsRemovedAtOnceByTheNextSolverAndForeignIngressesAreKept() throws Exception {
        create("default", TemporaryIngresses.NAME_PREFIX + "000000000000", Map.of(), "/", "shop");   // our name, no label
        create("default", "shop", OUR_LABEL, "/", "shop");                                            // our label, other name
        create("other", TemporaryIngresses.NAME_PREFIX + "111111111111", OUR_LABEL, "/", "shop");    // other namespace
        String made = TemporaryIngresses.name("gone.example.test", "tok-gone");
        RecordingJournal journal = new RecordingJournal();

        solver(b -> b.ingressClass("nginx")).present(challenge("gone.example.test", "tok-gone"), journal);
        // ... and the process died: no close(), no confirmed handle.

        assertThat(journal.intents).containsExactly("v1|CLASS|default|" + made + "|gone.example.test|tok-gone");
        assertThat(journal.seenAtRecord).as("the intent is recorded before the Ingress exists")
                .singleElement().asString().doesNotContain(made);
        assertThat(names("default")).contains(made);

        solver(b -> b.ingressClass("nginx")).cleanUp(journal.intents.get(0));   // a fresh process, no hour's wait

        assertThat(names("default")).containsExactlyInAnyOrder(TemporaryIngresses.NAME_PREFIX + "000000000000", "shop");
        assertThat(names("other")).hasSize(1);
    }

    @Test
    void aRuleMadeInTheExistingIngressAfterItsIntentIsRemovedAtOnceByTheNextSolverAndOtherRulesAreKept() throws Exception {
        create("default", "challenge", Map.of(), CM_PATH, "cm-acme-http-solver");
        RecordingJournal journal = new RecordingJournal();

        solver(b -> b.existingIngress("challenge")).present(challenge("gone.example.test", "tok-gone"), journal);

        assertThat(journal.intents).containsExactly("v1|NAME|default|challenge|gone.example.test|tok-gone");
        assertThat(journal.seenAtRecord).as("the intent is recorded before the rule exists")
                .singleElement().asString().doesNotContain("tok-gone");
        assertThat(challengePaths()).contains("/.well-known/acme-challenge/tok-gone -> app");

        solver(b -> b.existingIngress("challenge")).cleanUp(journal.intents.get(0));

        assertThat(challengePaths()).containsExactly(CM_PATH + " -> cm-acme-http-solver");
        assertThat(ingress("challenge").getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void anIntentWhoseRecordingFailsMakesNothingAndItsCleanUpChangesNothing() throws Exception {
        create("default", "challenge", Map.of(), CM_PATH, "cm-acme-http-solver");
        String version = ingress("challenge").getMetadata().getResourceVersion();
        List<String> intents = new ArrayList<>();
        IntentJournal failing = handle -> {
            intents.add(handle);
            throw new SolverException("the store is read-only", true, null);
        };

        assertThatThrownBy(() -> solver(b -> b.existingIngress("challenge")).present(challenge("a.example.test", "tok-a"), failing))
                .isInstanceOf(SolverException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> solver(b -> b.ingressClass("nginx")).present(challenge("b.example.test", "tok-b"), failing))
                .isInstanceOf(SolverException.class);
        assertThat(names("default")).containsExactly("challenge");

        int before = api.requests().size();
        solver(b -> b.existingIngress("challenge")).cleanUp(intents.get(0));
        solver(b -> b.ingressClass("nginx")).cleanUp(intents.get(1));

        assertThat(api.requests().subList(before, api.requests().size())).as("cleanUp only reads: nothing was made")
                .isNotEmpty().extracting(ApiRequest::verb).allMatch(v -> v.equals("get") || v.equals("list"));
        assertThat(names("default")).containsExactly("challenge");
        assertThat(ingress("challenge").getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(challengePaths()).containsExactly(CM_PATH + " -> cm-acme-http-solver");
    }
}
