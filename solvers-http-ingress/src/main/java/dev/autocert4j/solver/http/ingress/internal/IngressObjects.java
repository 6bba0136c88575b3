package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** What the solver's Ingresses hold, and how API failures read. Stateless. */
final class IngressObjects {
    private IngressObjects() {
    }

    /** The rule routing the route's exact challenge path of its host to the Service. */
    static IngressRule challengeRule(Route route, String serviceName, int servicePort) {
        HTTPIngressPath path = new HTTPIngressPathBuilder().withPath(route.path()).withPathType("Exact")
                .withNewBackend().withNewService().withName(serviceName).withNewPort().withNumber(servicePort).endPort()
                .endService().endBackend().build();
        return new IngressRuleBuilder().withHost(route.host()).withNewHttp().withPaths(path).endHttp().build();
    }

    /** The annotation holding a token's key authorization. */
    static String keyAuthorizationAnnotation(String token) {
        return IngressHttp01Solver.KEY_AUTHORIZATION_PREFIX + tokenHash(token);
    }

    /** The annotation holding when a token was presented, by the presenting process's clock. */
    static String presentedAtAnnotation(String token) {
        return IngressHttp01Solver.KEY_AUTHORIZATION_PREFIX + "at-" + tokenHash(token);
    }

    /**
     * Whether a token's route was presented before the cutoff: a route without a readable time (an
     * earlier version's, or a damaged one) counts as old.
     */
    static boolean presentedBefore(Map<String, String> annotations, String token, Instant cutoff) {
        return before(annotations.get(presentedAtAnnotation(token)), cutoff);
    }

    /** Whether the instant written in {@code value} is before the cutoff; unreadable or absent counts as before. */
    static boolean before(String value, Instant cutoff) {
        if (value == null) {
            return true;
        }
        try {
            return Instant.parse(value).isBefore(cutoff);
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    static List<IngressRule> rulesOf(Ingress ingress) {
        return ingress.getSpec() == null || ingress.getSpec().getRules() == null ? List.of() : ingress.getSpec().getRules();
    }

    static Map<String, String> annotationsOf(Ingress ingress) {
        Map<String, String> a = ingress.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    /**
     * fabric8 reports a code below 100 (0 or -1, by version) when no HTTP answer came at all: then the
     * message names the client's I/O failure instead of an "HTTP 0" the server never sent.
     */
    static SolverException apiFailure(String what, KubernetesClientException e) {
        if (e.getCode() < 100) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new SolverException("No answer from the Kubernetes API server while " + what + ": "
                    + cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), true, e);
        }
        String hint = e.getCode() == 403 ? ": the application's ServiceAccount needs get, list, watch, create, update and "
                + "delete on networking.k8s.io ingresses in this namespace" : "";
        return new SolverException("Kubernetes refused " + what + " (HTTP " + e.getCode() + ")" + hint, e.getCode() >= 500
                || e.getCode() == 409 || e.getCode() == 429, e);
    }

    /** An exception's message for a log line; its class when it has none, never "null". */
    static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
    }

    static String tokenHash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
