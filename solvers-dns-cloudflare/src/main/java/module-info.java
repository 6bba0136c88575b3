/** A DNS-01 {@link dev.autocert4j.solver.dns.DnsProvider} for the Cloudflare v4 API. */
module dev.autocert4j.solver.dns.cloudflare {
    requires transitive dev.autocert4j;
    requires transitive java.net.http;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.autocert4j.solver.dns.cloudflare;

    provides dev.autocert4j.solver.dns.DnsProvider.Factory
            with dev.autocert4j.solver.dns.cloudflare.internal.CloudflareProviderFactory;
}
