/** Runnable examples of autocert4j; not published. */
module dev.autocert4j.examples {
    requires dev.autocert4j;
    requires dev.autocert4j.testing;
    requires jdk.httpserver;

    provides dev.autocert4j.solver.dns.DnsProvider.Factory with dev.autocert4j.examples.dns.ExecDnsProvider.Factory;
}
