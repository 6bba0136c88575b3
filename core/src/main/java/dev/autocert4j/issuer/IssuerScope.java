package dev.autocert4j.issuer;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerKind;
import java.util.Optional;

/**
 * Where an issuer may be used: everywhere (cert-manager's ClusterIssuer) or only for certificates
 * of one namespace (an Issuer).
 *
 * @param namespace the namespace an Issuer is bound to; empty for a cluster-wide issuer
 */
public record IssuerScope(Optional<String> namespace) {
    /**
     * Validates and copies the components.
     *
     * @param namespace see the record description
     */
    public IssuerScope {
        java.util.Objects.requireNonNull(namespace, "namespace");
        namespace.ifPresent(n -> dev.autocert4j.internal.x509.Names.requireObjectName("issuer namespace", n));
    }

    /** @return the scope of a ClusterIssuer */
    public static IssuerScope cluster() {
        return new IssuerScope(Optional.empty());
    }

    /**
     * @param namespace the namespace whose certificates the issuer serves
     * @return the scope of a namespaced Issuer
     */
    public static IssuerScope namespaced(String namespace) {
        return new IssuerScope(Optional.of(namespace));
    }

    /** @return the kind a certificate's issuerRef must name to select an issuer of this scope */
    public IssuerKind kind() {
        return namespace.isPresent() ? IssuerKind.ISSUER : IssuerKind.CLUSTER_ISSUER;
    }

    /**
     * @param certificate a certificate
     * @return whether an issuer of this scope may sign it (namespaced issuers only in their namespace)
     */
    public boolean serves(Certificate certificate) {
        return namespace.map(n -> n.equals(certificate.namespace())).orElse(true);
    }
}
