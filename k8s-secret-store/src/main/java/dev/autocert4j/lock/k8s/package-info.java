/**
 * A {@link dev.autocert4j.lock.LockProvider} on Kubernetes {@code coordination.k8s.io/v1} Leases,
 * beside the Kubernetes Secret store: {@link dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider}.
 */
package dev.autocert4j.lock.k8s;
