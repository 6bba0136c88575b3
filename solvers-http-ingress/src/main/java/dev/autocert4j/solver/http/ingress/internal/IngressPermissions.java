package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.PreflightException;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server, with one {@code SelfSubjectAccessReview} (authorization.k8s.io/v1) per verb, whether the
 * solver's credentials may do on Ingresses what the solver does: the README's Role rule. Changes nothing. When the
 * reviews themselves cannot be asked (403: the cluster's RBAC does not let this user create them; 404: no such API)
 * or go unanswered, the check is skipped with a DEBUG line: not knowing is no reason to refuse an order, and a
 * missing permission still fails, later, with the API server's 403. A namespace found allowed (or whose check was
 * skipped) is not asked again for {@link #REMEMBERED} (six API calls per order saved); a denial is never remembered,
 * so the order after a Role is fixed goes through at once. Thread-safe.
 */
public final class IngressPermissions {
    /** The solver's category, so that one logger setting covers every solver message. */
    private static final Logger LOG = LoggerFactory.getLogger(IngressHttp01Solver.class);
    /** What the solver does on Ingresses in its namespace: the README's Role rule, in its order. */
    static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "delete");
    private static final String GROUP = "networking.k8s.io";
    private static final String RULE = "- apiGroups: [" + GROUP + "]  resources: [ingresses]  verbs: ["
            + String.join(", ", VERBS) + "]";

    /**
     * How long an allowed (or unaskable) namespace is not asked again: as long as the Cloudflare solver trusts its
     * token check. A Role narrowed within it shows up as the API server's 403 on the Ingress write instead.
     */
    static final Duration REMEMBERED = Duration.ofMinutes(10);

    private final KubernetesClient client;
    private final Clock clock;
    /** Namespace → until when it need not be asked again. */
    private final Map<String, Instant> settledUntil = new ConcurrentHashMap<>();

    /**
     * @param client the solver's client, whose credentials are reviewed
     * @param clock by which a settled answer ages
     */
    public IngressPermissions(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * @param namespace the solver's namespace
     * @throws PreflightException naming the verbs denied, the resource, the namespace and the Role rule to add; or
     *     when the API server cannot be reached
     */
    public void require(String namespace) throws PreflightException {
        Instant until = settledUntil.get(namespace);
        if (until != null && clock.instant().isBefore(until)) {
            return;
        }
        ask(namespace);
        settledUntil.put(namespace, clock.instant().plus(REMEMBERED));
    }

    private void ask(String namespace) throws PreflightException {
        List<String> denied = new ArrayList<>();
        for (String verb : VERBS) {
            SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                    .withNamespace(namespace).withGroup(GROUP).withResource("ingresses").withVerb(verb)
                    .endResourceAttributes().endSpec().build();
            SelfSubjectAccessReview answer;
            try {
                answer = client.authorization().v1().selfSubjectAccessReview().create(review);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 || e.getCode() == 404) {
                    LOG.debug("Not checking the Ingress permissions in {}: the API server answered the "
                            + "SelfSubjectAccessReview with HTTP {}", namespace, e.getCode());
                    return;
                }
                SolverException failure = IngressObjects.apiFailure("asking whether Ingresses in " + namespace
                        + " may be changed (SelfSubjectAccessReview)", e);
                throw new PreflightException(failure.getMessage() + "; nothing was ordered", failure.isRetryable(), e);
            }
            if (answer == null || answer.getStatus() == null || answer.getStatus().getAllowed() == null) {
                LOG.debug("Not checking the Ingress permissions in {}: the SelfSubjectAccessReview came back unanswered",
                        namespace);
                return;
            }
            if (!answer.getStatus().getAllowed()) {
                denied.add(verb);
            }
        }
        if (!denied.isEmpty()) {
            throw new PreflightException("The Ingress HTTP-01 solver may not " + String.join(", ", denied)
                    + " ingresses (" + GROUP + ") in namespace " + namespace + ": add the verbs to the Role bound to the "
                    + "application's ServiceAccount in " + namespace + ", whose Ingress rule must read `" + RULE
                    + "`; nothing was ordered", true);
        }
    }
}
