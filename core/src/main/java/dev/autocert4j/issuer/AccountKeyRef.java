package dev.autocert4j.issuer;

import java.util.Optional;

/**
 * Where an ACME account key is kept: cert-manager's {@code privateKeySecretRef}. One key, one
 * account: every certificate of an issuer reuses it.
 *
 * @param name the key's name ({@code letsencrypt-account-key})
 * @param namespace the namespace of a namespaced issuer (an object name, as
 *     {@link dev.autocert4j.Certificate} checks them); empty for a cluster-wide issuer (a
 *     Kubernetes store puts those in its cluster resource namespace)
 */
public record AccountKeyRef(String name, Optional<String> namespace) {
    /**
     * Validates and copies the components.
     *
     * @param name see the record description
     * @param namespace see the record description
     */
    public AccountKeyRef {
        dev.autocert4j.internal.x509.Names.requireObjectName("privateKeySecretRef", name);
        java.util.Objects.requireNonNull(namespace, "namespace");
        // Stores build file paths and Secret names from both: the same rules as every object name.
        namespace.ifPresent(n -> dev.autocert4j.internal.x509.Names.requireObjectName("privateKeySecretRef namespace", n));
    }

    /**
     * @param name the key's name
     * @param scope the issuer's scope, which decides the namespace
     * @return the reference
     */
    public static AccountKeyRef of(String name, IssuerScope scope) {
        return new AccountKeyRef(name, scope.namespace());
    }

    /** @return {@code namespace/name}, or {@code name} for a cluster-wide key */
    public String id() {
        return namespace.map(n -> n + "/" + name).orElse(name);
    }
}
