package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.PreflightException;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Challenge rules in an Ingress that someone else owns (cert-manager's {@code ingress.name}):
 * each edit reads the Ingress, changes only our rule and annotation, and writes it with the
 * resourceVersion read; a conflict (HTTP 409) reads again. Every other rule is left alone.
 * Thread-safe.
 */
public final class ExistingIngressRoutes {
    /** The solver's category, so that one logger setting covers every solver message. */
    private static final Logger LOG = LoggerFactory.getLogger(IngressHttp01Solver.class);
    private static final int MAX_ATTEMPTS = 20;

    private final KubernetesClient client;
    private final String serviceName;
    private final int servicePort;
    private final Clock clock;

    /**
     * @param client the Kubernetes client
     * @param serviceName the Service the challenge rules route to
     * @param servicePort its port
     * @param clock the time written beside each rule, by which a leftover is told from a live route
     */
    public ExistingIngressRoutes(KubernetesClient client, String serviceName, int servicePort, Clock clock) {
        this.client = client;
        this.serviceName = serviceName;
        this.servicePort = servicePort;
        this.clock = clock;
    }

    /**
     * Checks, read only, that the Ingress exists, before an order. Whether the client may update it is not
     * asked: fabric8's mock API, which the tests run against, answers no SelfSubjectAccessReview.
     *
     * @param ns the Ingress's namespace
     * @param name the Ingress's name
     * @throws PreflightException when it does not exist or cannot be read
     */
    public void requireExists(String ns, String name) throws PreflightException {
        Ingress current;
        try {
            current = client.network().v1().ingresses().inNamespace(ns).withName(name).get();
        } catch (KubernetesClientException e) {
            SolverException failure = IngressObjects.apiFailure("reading Ingress " + ns + "/" + name, e);
            throw new PreflightException(failure.getMessage(), failure.isRetryable(), e);
        }
        if (current == null) {
            throw new PreflightException(missing(ns, name) + "; nothing was ordered", true);
        }
    }

    private static String missing(String ns, String name) {
        return "Ingress " + ns + "/" + name + " does not exist: create it, or name an existing Ingress in existingIngress(...), "
                + "or use ingressClass(...) for a temporary one";
    }

    /**
     * Adds the route's rule and its key authorization annotation to the route's Ingress.
     *
     * @param route a route of mode {@link RouteMode#NAME}
     * @param keyAuthorization the answer, public anyway (the CA reads it over plain HTTP)
     * @throws SolverException when the Ingress does not exist or the API server refuses
     */
    public void add(Route route, String keyAuthorization) throws SolverException {
        String annotation = IngressObjects.keyAuthorizationAnnotation(route.token());
        edit(route.namespace(), route.ingress(), ingress -> {
            List<IngressRule> rules = new ArrayList<>(IngressObjects.rulesOf(ingress));
            rules.add(IngressObjects.challengeRule(route, serviceName, servicePort));
            Map<String, String> a = new LinkedHashMap<>(IngressObjects.annotationsOf(ingress));
            a.put(annotation, keyAuthorization);
            a.put(IngressObjects.presentedAtAnnotation(route.token()), clock.instant().toString());
            return new IngressBuilder(ingress).editMetadata().withAnnotations(a).endMetadata()
                    .editOrNewSpec().withRules(rules).endSpec().build();
        }, true);
    }

    /**
     * Removes the route's path (and a rule it leaves empty) and its annotations; writes nothing when the
     * Ingress is gone or holds no trace of the route (never made, or removed already). Only a path that routes to this solver's Service is removed: a handle
     * cannot make it remove someone else's rule.
     *
     * @param route a route of mode {@link RouteMode#NAME}
     * @throws SolverException when the API server refuses
     */
    public void remove(Route route) throws SolverException {
        String annotation = IngressObjects.keyAuthorizationAnnotation(route.token());
        edit(route.namespace(), route.ingress(), ingress -> {
            List<IngressRule> kept = new ArrayList<>();
            for (IngressRule rule : IngressObjects.rulesOf(ingress)) {
                IngressRule stripped = withoutPath(rule, route);
                if (stripped != null) {
                    kept.add(stripped);
                }
            }
            Map<String, String> a = new LinkedHashMap<>(IngressObjects.annotationsOf(ingress));
            boolean answered = a.remove(annotation) != null;
            boolean dated = a.remove(IngressObjects.presentedAtAnnotation(route.token())) != null;
            if (!answered && !dated && kept.equals(IngressObjects.rulesOf(ingress))) {
                return null; // never made, or removed already: nothing to write
            }
            return new IngressBuilder(ingress).editMetadata().withAnnotations(a).endMetadata()
                    .editSpec().withRules(kept).endSpec().build();
        }, false);
    }

    /**
     * Removes the challenge rules that route to this Service and were presented before the cutoff
     * (a live route of another replica is younger), with their annotations; writes nothing when
     * there are none.
     *
     * @param namespace the Ingress's namespace
     * @param name the Ingress's name
     * @param cutoff rules presented before this are leftovers; {@link Instant#MAX} for all, and then
     *     every key authorization annotation goes too
     * @return how many rules were removed
     * @throws SolverException when the API server refuses
     */
    public int sweep(String namespace, String name, Instant cutoff) throws SolverException {
        int[] rules = new int[1];
        edit(namespace, name, ingress -> {
            rules[0] = 0;
            Map<String, String> annotations = new LinkedHashMap<>(IngressObjects.annotationsOf(ingress));
            List<IngressRule> kept = new ArrayList<>();
            for (IngressRule rule : IngressObjects.rulesOf(ingress)) {
                String token = ourChallengeToken(rule);
                if (token != null && IngressObjects.presentedBefore(annotations, token, cutoff)) {
                    rules[0]++;
                    annotations.remove(IngressObjects.keyAuthorizationAnnotation(token));
                    annotations.remove(IngressObjects.presentedAtAnnotation(token));
                } else {
                    kept.add(rule);
                }
            }
            if (cutoff.equals(Instant.MAX)) {
                annotations.keySet().removeIf(k -> k.startsWith(IngressHttp01Solver.KEY_AUTHORIZATION_PREFIX));
            }
            if (rules[0] == 0 && annotations.equals(IngressObjects.annotationsOf(ingress))) {
                return null;
            }
            return new IngressBuilder(ingress).editMetadata().withAnnotations(annotations).endMetadata()
                    .editSpec().withRules(kept).endSpec().build();
        }, false);
        return rules[0];
    }

    /** The rule without this route's path; null when nothing else is left in it. */
    private IngressRule withoutPath(IngressRule rule, Route route) {
        if (!route.host().equals(rule.getHost()) || rule.getHttp() == null || rule.getHttp().getPaths() == null) {
            return rule;
        }
        List<HTTPIngressPath> paths = new ArrayList<>();
        for (HTTPIngressPath p : rule.getHttp().getPaths()) {
            if (!route.path().equals(p.getPath()) || !routesToOurService(p)) {
                paths.add(p);
            }
        }
        if (paths.isEmpty()) {
            return null;
        }
        return new IngressRuleBuilder(rule).editHttp().withPaths(paths).endHttp().build();
    }

    /** The token of a rule this solver adds (one exact challenge path to this Service), or null for any other rule. */
    private String ourChallengeToken(IngressRule rule) {
        if (rule.getHttp() == null || rule.getHttp().getPaths() == null || rule.getHttp().getPaths().size() != 1) {
            return null;
        }
        HTTPIngressPath p = rule.getHttp().getPaths().get(0);
        if (p.getPath() == null || !p.getPath().startsWith(Http01Solver.PATH_PREFIX) || !routesToOurService(p)) {
            return null;
        }
        String token = p.getPath().substring(Http01Solver.PATH_PREFIX.length());
        return Route.isToken(token) ? token : null;
    }

    private boolean routesToOurService(HTTPIngressPath p) {
        return p.getBackend() != null && p.getBackend().getService() != null
                && serviceName.equals(p.getBackend().getService().getName());
    }

    /**
     * Read, change, write with the resourceVersion read; a 409 (someone else wrote) re-reads and
     * retries. A change that returns null has nothing to write.
     */
    private void edit(String ns, String name, UnaryOperator<Ingress> change, boolean mustExist) throws SolverException {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Ingress current;
            try {
                current = client.network().v1().ingresses().inNamespace(ns).withName(name).get();
            } catch (KubernetesClientException e) {
                throw IngressObjects.apiFailure("reading Ingress " + ns + "/" + name, e);
            }
            if (current == null) {
                if (mustExist) {
                    throw new SolverException(missing(ns, name), false, null);
                }
                return;
            }
            Ingress changed = change.apply(current);
            if (changed == null) {
                return;
            }
            try {
                client.network().v1().ingresses().inNamespace(ns).resource(changed).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw IngressObjects.apiFailure("updating Ingress " + ns + "/" + name, e);
                }
                LOG.debug("Ingress {}/{} changed while we edited it; retrying", ns, name);
            }
        }
        throw new SolverException("Ingress " + ns + "/" + name + " kept changing; gave up after " + MAX_ATTEMPTS + " attempts",
                true, null);
    }
}
