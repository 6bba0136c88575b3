/**
 * A custom {@link dev.autocert4j.solver.dns.DnsProvider}, {@link dev.autocert4j.examples.dns.ExecDnsProvider},
 * registered for {@link java.util.ServiceLoader} and used by name.
 */
package dev.autocert4j.examples.dns;
