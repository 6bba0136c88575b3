/**
 * autocert4j core: certificates, the ACME issuer, the HTTP-01 and DNS-01 solvers, file and in-memory stores,
 * and the certificate manager.
 */
// requires-automatic: org.jose4j, acme4j's own JWS library, has no module-info. module: the Ingress solver's module
// is not observable when core is compiled (it depends on core), so its qualified export below would warn.
@SuppressWarnings({"requires-automatic", "module"})
module dev.autocert4j {
    requires jdk.httpserver; // the standalone HTTP-01 responder; not transitive: see JdkHttp01Handler
    requires java.net.http;
    requires org.shredzone.acme4j;
    requires org.jose4j; // acme4j's JWS library: Es256Signing registers a faster ES256 in it
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.slf4j;
    requires org.dnsjava;

    exports dev.autocert4j;
    exports dev.autocert4j.issuer;
    exports dev.autocert4j.solver;
    exports dev.autocert4j.store;
    exports dev.autocert4j.lock;
    exports dev.autocert4j.solver.http;
    exports dev.autocert4j.solver.dns;
    exports dev.autocert4j.solver.dns.rfc2136;
    exports dev.autocert4j.store.file;
    // Not API: the Ingress solver's presentations pass the responder's validation signal (FetchedToken) on.
    exports dev.autocert4j.internal.http to dev.autocert4j.solver.http.ingress;

    uses dev.autocert4j.solver.dns.DnsProvider.Factory;
    provides dev.autocert4j.solver.dns.DnsProvider.Factory with dev.autocert4j.solver.dns.rfc2136.Rfc2136ProviderFactory;
}
