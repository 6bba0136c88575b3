/** Implementation details of the Cloudflare provider; not exported. */
package dev.autocert4j.solver.dns.cloudflare.internal;
