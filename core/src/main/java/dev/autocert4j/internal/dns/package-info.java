/** DNS lookups through dnsjava: zones, authoritative servers, propagation. Implementation detail: not exported, may change at any time. */
package dev.autocert4j.internal.dns;
