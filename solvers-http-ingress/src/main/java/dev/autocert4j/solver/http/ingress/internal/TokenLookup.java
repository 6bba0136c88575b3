package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the key authorization of a token that another replica presented, in the annotations of
 * the solver's Ingresses, within an API-rate budget. Thread-safe.
 */
public final class TokenLookup {
    /** The solver's category, so that one logger setting covers every solver message. */
    private static final Logger LOG = LoggerFactory.getLogger(IngressHttp01Solver.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String existingIngress;
    private final LookupBudget budget;

    /**
     * @param client the Kubernetes client
     * @param namespace the solver's namespace
     * @param existingIngress the existing Ingress the solver edits, or null when it makes temporary ones
     * @param lookupsPerSecond at most this many lookups per second
     */
    public TokenLookup(KubernetesClient client, String namespace, String existingIngress, int lookupsPerSecond) {
        this.client = client;
        this.namespace = namespace;
        this.existingIngress = existingIngress;
        this.budget = new LookupBudget(lookupsPerSecond);
    }

    /**
     * @param token a syntactically valid token not presented in this process
     * @return its key authorization, or empty when no Ingress holds it, the budget of this second
     *     is spent, or the API server refuses
     */
    public Optional<String> find(String token) {
        if (!budget.take()) {
            LOG.debug("Not looking up HTTP-01 token {}: more than {} unknown tokens asked for this second", token,
                    budget.perSecond());
            return Optional.empty();
        }
        String key = IngressObjects.keyAuthorizationAnnotation(token);
        try {
            List<Ingress> candidates = new ArrayList<>(client.network().v1().ingresses().inNamespace(namespace)
                    .withLabel(IngressHttp01Solver.SOLVER_LABEL, "true").list().getItems());
            if (existingIngress != null) {
                Ingress existing = client.network().v1().ingresses().inNamespace(namespace).withName(existingIngress).get();
                if (existing != null) {
                    candidates.add(existing);
                }
            }
            for (Ingress ingress : candidates) {
                String value = IngressObjects.annotationsOf(ingress).get(key);
                if (value != null && value.startsWith(token + ".")) {
                    return Optional.of(value);
                }
            }
        } catch (KubernetesClientException e) {
            LOG.warn("Cannot look up HTTP-01 token {} in the Ingresses of {}: HTTP {}", token, namespace, e.getCode());
        }
        return Optional.empty();
    }
}
