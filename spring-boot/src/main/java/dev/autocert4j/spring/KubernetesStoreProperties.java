package dev.autocert4j.spring;

/**
 * The Kubernetes Secret store, {@code autocert4j.store.kubernetes.*}: certificates in Secrets written as
 * cert-manager writes them, account keys in the Secrets of {@code privateKeySecretRef}, and Lease locks between
 * replicas (the store's default lock). Needs {@code dev.autocert4j:autocert4j-k8s-secret-store} on the class
 * path; the API server is the one of the application's {@code KubernetesClient} bean, or else of a fabric8 client
 * configured as fabric8 configures itself (in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config}).
 * Not thread-safe: Spring binds it once at start-up.
 */
public class KubernetesStoreProperties {
    /** Whether certificates are kept in Kubernetes Secrets instead of the file store. */
    private boolean enabled;

    /** The namespace of the Secrets of autocert4j.certificates; the client's namespace (the pod's, in a cluster) when unset. */
    private String namespace;

    /** Where cluster issuers' account key Secrets and the Leases live, as cert-manager's --cluster-resource-namespace. */
    private String clusterResourceNamespace = "cert-manager";

    /** Created by Spring's binder. */
    public KubernetesStoreProperties() {
    }

    /** @return whether the Kubernetes store is used */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the Kubernetes store is used */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the namespace of the properties' certificates, or null for the client's */
    public String getNamespace() {
        return namespace;
    }

    /** @param namespace the namespace of the properties' certificates */
    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    /** @return the cluster resource namespace */
    public String getClusterResourceNamespace() {
        return clusterResourceNamespace;
    }

    /** @param clusterResourceNamespace the cluster resource namespace */
    public void setClusterResourceNamespace(String clusterResourceNamespace) {
        this.clusterResourceNamespace = clusterResourceNamespace;
    }
}
