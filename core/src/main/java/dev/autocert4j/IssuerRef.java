package dev.autocert4j;

import static java.util.Objects.requireNonNull;

/**
 * Which issuer signs a certificate: cert-manager's {@code issuerRef}.
 *
 * @param name the issuer's name, as given to its builder
 * @param kind {@link IssuerKind#ISSUER} (same namespace as the certificate) or
 *     {@link IssuerKind#CLUSTER_ISSUER}
 */
public record IssuerRef(String name, IssuerKind kind) {
    /**
     * Validates and copies the components.
     *
     * @param name see the record description
     * @param kind see the record description
     */
    public IssuerRef {
        requireNonNull(name, "name");
        requireNonNull(kind, "kind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("issuerRef.name must not be blank: name the issuer that signs this certificate");
        }
    }

    /**
     * @param name the cluster issuer's name
     * @return a reference to a cluster-wide issuer
     */
    public static IssuerRef clusterIssuer(String name) {
        return new IssuerRef(name, IssuerKind.CLUSTER_ISSUER);
    }

    /**
     * @param name the issuer's name
     * @return a reference to an issuer in the certificate's own namespace
     */
    public static IssuerRef issuer(String name) {
        return new IssuerRef(name, IssuerKind.ISSUER);
    }
}
