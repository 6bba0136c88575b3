/**
 * A {@link dev.autocert4j.store.CertificateStore} that keeps certificates in Kubernetes Secrets, in
 * exactly cert-manager's layout.
 */
package dev.autocert4j.store.k8s;
