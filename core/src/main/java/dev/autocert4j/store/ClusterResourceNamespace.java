package dev.autocert4j.store;

/**
 * An optional ability of a {@link CertificateStore}: it keeps what belongs to no certificate's namespace (account
 * keys of cluster-scoped issuers, the cleanup journal) in one namespace, cert-manager's cluster resource namespace.
 * Found with {@code instanceof} by whatever must agree with it: autocert4j-manifests reads the Secrets of
 * ClusterIssuers from the same namespace, so that it is set once, on the store.
 *
 * <p>Implementations MUST return the same value for their whole life.
 */
public interface ClusterResourceNamespace {
    /** @return the namespace, e.g. {@code cert-manager} */
    String clusterResourceNamespace();
}
