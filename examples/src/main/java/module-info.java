/** Runnable examples of autocert4j; not published. */
module dev.autocert4j.examples {
    requires transitive dev.autocert4j;
    requires dev.autocert4j.testing;
    requires jdk.httpserver;
    requires org.eclipse.jetty.server;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.handler;
    requires io.netty.codec.http;

    exports dev.autocert4j.examples;

    provides dev.autocert4j.solver.dns.DnsProvider.Factory with dev.autocert4j.examples.dns.ExecDnsProvider.Factory;
}
