package dev.autocert4j.manifests;

/**
 * The issuer whose {@code spec} is being read.
 *
 * @param name the issuer's name
 * @param namespace its namespace; null for a ClusterIssuer
 * @param secretNamespace where its secret references point: its namespace, or the cluster resource namespace
 * @param id how errors and solver ids name it, e.g. {@code ClusterIssuer letsencrypt}
 */
record IssuerContext(String name, String namespace, String secretNamespace, String id) {
}
