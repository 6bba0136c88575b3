package dev.autocert4j.docs;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.cloudflare.CloudflareDnsProvider;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import dev.autocert4j.store.file.FileCertificateStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The README's DNS-01 section: Cloudflare and RFC 2136. */
final class DnsSolvers {
    private DnsSolvers() {
    }

    static void cloudflare() throws AutocertException, InterruptedException {
        // tag::cloudflare[]
        Dns01Solver dns01 = Dns01Solver.builder()
                .provider(CloudflareDnsProvider.builder().apiToken(System.getenv("CLOUDFLARE_API_TOKEN")).build())
                .build();
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("letsencrypt-dns01").letsEncrypt().email("ops@example.com").build())
                .solver(dns01)
                .store(FileCertificateStore.of(Path.of("/var/lib/myapp/certificates"))).build();
        manager.obtain(Certificate.builder("wildcard").dnsNames("*.example.com", "example.com")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt-dns01")).build());
        // end::cloudflare[]
    }

    static Dns01Solver rfc2136() {
        // tag::rfc2136[]
        DnsProvider bind = Rfc2136DnsProvider.builder()
                .nameserver(new InetSocketAddress("192.0.2.53", 53))
                .tsigKey("acme-update", "hmac-sha256", System.getenv("TSIG_SECRET"))
                .build();
        Dns01Solver dns01 = Dns01Solver.builder().provider(bind).build();
        // end::rfc2136[]
        return dns01;
    }
}
