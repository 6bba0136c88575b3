package dev.autocert4j.manifests;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * A solver's {@code http01.ingress} block, as read and checked from a manifest, handed to the
 * {@link Http01SolverFactory} that makes the HTTP-01 solver for it. Immutable.
 *
 * @param issuerName the issuer the solver belongs to
 * @param namespace the namespace the challenge Ingress belongs in: the Issuer's, or for a
 *     ClusterIssuer empty (cert-manager uses each Certificate's namespace)
 * @param name {@code name}: an existing Ingress to add the challenge path to
 * @param ingressClass {@code class}: the {@code kubernetes.io/ingress.class} annotation of a temporary Ingress
 * @param ingressClassName {@code ingressClassName}: the ingress class of a temporary Ingress
 * @param serviceType {@code serviceType}: {@code NodePort} or {@code ClusterIP}
 * @param templateLabels {@code ingressTemplate.metadata.labels}
 * @param templateAnnotations {@code ingressTemplate.metadata.annotations}
 */
public record Http01IngressConfig(String issuerName, Optional<String> namespace, Optional<String> name,
        Optional<String> ingressClass, Optional<String> ingressClassName, Optional<String> serviceType,
        Map<String, String> templateLabels, Map<String, String> templateAnnotations) {
    /**
     * Validates and copies the components.
     *
     * @param issuerName see the record description
     * @param namespace see the record description
     * @param name see the record description
     * @param ingressClass see the record description
     * @param ingressClassName see the record description
     * @param serviceType see the record description
     * @param templateLabels see the record description
     * @param templateAnnotations see the record description
     */
    public Http01IngressConfig {
        requireNonNull(issuerName, "issuerName");
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        requireNonNull(ingressClass, "ingressClass");
        requireNonNull(ingressClassName, "ingressClassName");
        requireNonNull(serviceType, "serviceType");
        templateLabels = Map.copyOf(requireNonNull(templateLabels, "templateLabels"));
        templateAnnotations = Map.copyOf(requireNonNull(templateAnnotations, "templateAnnotations"));
        int modes = (name.isPresent() ? 1 : 0) + (ingressClass.isPresent() ? 1 : 0) + (ingressClassName.isPresent() ? 1 : 0);
        if (modes > 1) {
            throw new IllegalArgumentException("set only one of name, class and ingressClassName");
        }
    }
}
