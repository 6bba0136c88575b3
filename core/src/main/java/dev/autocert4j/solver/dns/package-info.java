/**
 * DNS-01: {@link dev.autocert4j.solver.dns.Dns01Solver} with the shared logic (challenge name,
 * CNAME delegation, zone by SOA walk, propagation check on every authoritative nameserver,
 * cleanup), the {@link dev.autocert4j.solver.dns.DnsProvider} extension point it wraps, and the
 * built-in {@link dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider} (dynamic update with TSIG).
 */
package dev.autocert4j.solver.dns;
