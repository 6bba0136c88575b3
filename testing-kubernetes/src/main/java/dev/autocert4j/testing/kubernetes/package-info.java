/**
 * Kubernetes test peers: fabric8's mock API server in CRUD mode on loopback
 * ({@link dev.autocert4j.testing.kubernetes.KubernetesMockApi}), and an ingress-controller emulator
 * ({@link dev.autocert4j.testing.kubernetes.IngressControllerEmulator}) that routes HTTP by the
 * Ingresses stored there.
 *
 * <p>A module of its own rather than part of {@code autocert4j-testing}: that one is a named JPMS
 * module, and the fabric8 8 jars have no module names, so a named module cannot require them.
 */
package dev.autocert4j.testing.kubernetes;
