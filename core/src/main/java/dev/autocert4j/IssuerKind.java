package dev.autocert4j;

/** cert-manager's two issuer kinds. */
public enum IssuerKind {
    /** Serves only certificates in its own namespace. */
    ISSUER("Issuer"),
    /** Serves certificates in every namespace. */
    CLUSTER_ISSUER("ClusterIssuer");

    private final String manifestName;

    IssuerKind(String manifestName) {
        this.manifestName = manifestName;
    }

    /** @return the kind as written in cert-manager manifests and annotations ({@code ClusterIssuer}) */
    public String manifestName() {
        return manifestName;
    }
}
