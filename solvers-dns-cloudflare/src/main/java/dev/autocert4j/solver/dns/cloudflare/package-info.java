/**
 * {@link dev.autocert4j.solver.dns.cloudflare.CloudflareDnsProvider}: DNS-01 TXT records through
 * the Cloudflare v4 API.
 */
package dev.autocert4j.solver.dns.cloudflare;
