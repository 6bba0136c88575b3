/** DNS-01 through RFC 2136 dynamic updates (BIND, Knot, PowerDNS), optionally signed with TSIG. */
package dev.autocert4j.solver.dns.rfc2136;
