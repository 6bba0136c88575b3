/**
 * Reads cert-manager manifests — {@code ClusterIssuer}, {@code Issuer} and {@code Certificate} in
 * {@code cert-manager.io/v1} or {@code cert-manager.io/v1alpha2} — into issuers, solvers and
 * certificates for a {@link dev.autocert4j.CertificateManager}. Start at {@link dev.autocert4j.manifests.Manifests}.
 */
package dev.autocert4j.manifests;
