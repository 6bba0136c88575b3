/**
 * cert-manager manifests on Kubernetes: {@link dev.autocert4j.manifests.k8s.KubernetesSecretResolver}
 * reads secret references from Secrets, {@link dev.autocert4j.manifests.k8s.IngressHttp01SolverFactory}
 * makes {@code http01.ingress} solvers as cert-manager does.
 */
package dev.autocert4j.manifests.k8s;
