package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One temporary Ingress per host and token (cert-manager's {@code ingress.class} and
 * {@code ingress.ingressClassName}), with the template's labels and annotations plus the solver
 * labels, deleted afterwards. Thread-safe.
 */
public final class TemporaryIngresses {
    /** The solver's category, so that one logger setting covers every solver message. */
    private static final Logger LOG = LoggerFactory.getLogger(IngressHttp01Solver.class);

    /** The start of every temporary Ingress's name. */
    public static final String NAME_PREFIX = "autocert4j-http01-";

    private final KubernetesClient client;
    private final String namespace;
    private final RouteMode mode;
    private final String ingressClass;
    private final Map<String, String> labels;
    private final Map<String, String> annotations;
    private final String serviceName;
    private final int servicePort;
    private final Clock clock;

    /**
     * @param client the Kubernetes client
     * @param namespace the solver's namespace, swept by {@link #sweep(Instant)}
     * @param mode {@link RouteMode#CLASS} or {@link RouteMode#INGRESS_CLASS_NAME}
     * @param ingressClass the class (annotation) or IngressClass name
     * @param labels the template's labels
     * @param annotations the template's annotations
     * @param serviceName the Service the challenge routes to
     * @param servicePort its port
     * @param clock the time written on each Ingress, by which a leftover is told from a live route
     */
    public TemporaryIngresses(KubernetesClient client, String namespace, RouteMode mode, String ingressClass,
            Map<String, String> labels, Map<String, String> annotations, String serviceName, int servicePort, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.mode = mode;
        this.ingressClass = ingressClass;
        this.labels = Map.copyOf(labels);
        this.annotations = Map.copyOf(annotations);
        this.serviceName = serviceName;
        this.servicePort = servicePort;
        this.clock = clock;
    }

    /**
     * @param host the challenged host
     * @param token the challenge token
     * @return {@code autocert4j-http01-<hash>}: one temporary Ingress per host and token, a valid object name
     */
    public static String name(String host, String token) {
        return NAME_PREFIX + IngressObjects.tokenHash(host + "/" + token).substring(0, 12);
    }

    /**
     * Creates the route's Ingress with the key authorization in an annotation.
     *
     * @param route a route of this object's mode
     * @param keyAuthorization the answer, public anyway (the CA reads it over plain HTTP)
     * @throws SolverException when the API server refuses
     */
    public void create(Route route, String keyAuthorization) throws SolverException {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put(IngressHttp01Solver.SOLVER_LABEL, "true");
        l.put(IngressHttp01Solver.CERT_MANAGER_SOLVER_LABEL, "true");
        Map<String, String> a = new LinkedHashMap<>(annotations);
        a.put(IngressObjects.keyAuthorizationAnnotation(route.token()), keyAuthorization);
        a.put(IngressObjects.presentedAtAnnotation(route.token()), clock.instant().toString());
        if (mode == RouteMode.CLASS) {
            a.put(IngressHttp01Solver.CLASS_ANNOTATION, ingressClass);
        }
        IngressBuilder b = new IngressBuilder().withNewMetadata().withName(route.ingress()).withNamespace(route.namespace())
                .withLabels(l).withAnnotations(a).endMetadata()
                .withNewSpec().withRules(IngressObjects.challengeRule(route, serviceName, servicePort)).endSpec();
        if (mode == RouteMode.INGRESS_CLASS_NAME) {
            b.editSpec().withIngressClassName(ingressClass).endSpec();
        }
        try {
            client.network().v1().ingresses().inNamespace(route.namespace()).resource(b.build()).create();
        } catch (KubernetesClientException e) {
            throw IngressObjects.apiFailure("creating Ingress " + route.namespace() + "/" + route.ingress(), e);
        }
    }

    /**
     * Deletes the route's Ingress if it is the solver's (labelled {@value IngressHttp01Solver#SOLVER_LABEL});
     * nothing when it is gone already, and a warning when it is someone else's.
     *
     * @param route a temporary route, possibly from another process's handle
     * @throws SolverException when the API server refuses
     */
    public void delete(Route route) throws SolverException {
        var resource = client.network().v1().ingresses().inNamespace(route.namespace()).withName(route.ingress());
        try {
            Ingress current = resource.get();
            if (current == null) {
                return;
            }
            if (!isOurs(current)) {
                LOG.warn("Not deleting Ingress {}/{}: it lacks the label {}=true, so it is not this solver's", route.namespace(),
                        route.ingress(), IngressHttp01Solver.SOLVER_LABEL);
                return;
            }
            resource.delete();
            LOG.debug("Deleted the temporary Ingress {}/{}", route.namespace(), route.ingress());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw IngressObjects.apiFailure("deleting Ingress " + route.namespace() + "/" + route.ingress(), e);
            }
        }
    }

    /**
     * Deletes the solver's temporary Ingresses in its namespace (labelled, of its name scheme) that
     * were presented before the cutoff: a live route of another replica is younger.
     *
     * @param cutoff routes presented before this are leftovers; {@link Instant#MAX} for all
     * @return how many temporary Ingresses were deleted
     * @throws SolverException when the API server refuses
     */
    public int sweep(Instant cutoff) throws SolverException {
        int removed = 0;
        try {
            for (Ingress ingress : client.network().v1().ingresses().inNamespace(namespace)
                    .withLabel(IngressHttp01Solver.SOLVER_LABEL, "true").list().getItems()) {
                if (isOurs(ingress) && presentedBefore(ingress, cutoff)
                        && !client.network().v1().ingresses().inNamespace(namespace).withName(ingress.getMetadata().getName())
                        .delete().isEmpty()) {
                    removed++;
                }
            }
        } catch (KubernetesClientException e) {
            throw IngressObjects.apiFailure("listing the solver's Ingresses", e);
        }
        return removed;
    }

    private static boolean isOurs(Ingress ingress) {
        Map<String, String> l = ingress.getMetadata().getLabels();
        return ingress.getMetadata().getName().startsWith(NAME_PREFIX) && l != null
                && "true".equals(l.get(IngressHttp01Solver.SOLVER_LABEL));
    }

    /** By the times the solver wrote; an Ingress without one (an earlier version's) by its creation time. */
    private static boolean presentedBefore(Ingress ingress, Instant cutoff) {
        Map<String, String> annotations = IngressObjects.annotationsOf(ingress);
        String atPrefix = IngressHttp01Solver.KEY_AUTHORIZATION_PREFIX + "at-";
        var times = annotations.entrySet().stream().filter(e -> e.getKey().startsWith(atPrefix)).map(Map.Entry::getValue)
                .toList();
        if (times.isEmpty()) {
            return IngressObjects.before(ingress.getMetadata().getCreationTimestamp(), cutoff);
        }
        return times.stream().allMatch(t -> IngressObjects.before(t, cutoff));
    }
}
