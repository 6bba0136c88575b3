package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;

/** How the challenge route is made, as cert-manager's {@code http01.ingress} modes. */
public enum RouteMode {
    /** A rule in an existing Ingress ({@code ingress.name}). */
    NAME,
    /** A temporary Ingress annotated with its class ({@code ingress.class}). */
    CLASS,
    /** A temporary Ingress with {@code spec.ingressClassName} ({@code ingress.ingressClassName}). */
    INGRESS_CLASS_NAME;

    /**
     * @param namespace the solver's namespace
     * @param value the Ingress name, class or class name
     * @return what the ingress controller must serve, for messages
     */
    public String describe(String namespace, String value) {
        return switch (this) {
            case NAME -> "Ingress " + namespace + "/" + value;
            case CLASS -> "Ingresses annotated " + IngressHttp01Solver.CLASS_ANNOTATION + "=" + value;
            case INGRESS_CLASS_NAME -> "Ingresses of ingressClassName " + value;
        };
    }
}
