/**
 * Reads cert-manager manifests into issuers, solvers and certificates. Needs core and the YAML parser
 * only: DNS providers are found by name, Secrets and HTTP-01 solvers are injected.
 */
module dev.autocert4j.manifests {
    requires transitive dev.autocert4j;
    requires org.snakeyaml.engine;

    exports dev.autocert4j.manifests;
}
