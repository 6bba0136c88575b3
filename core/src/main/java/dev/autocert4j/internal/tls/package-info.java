/** The SNI key manager that serves managed certificates. Implementation detail: not exported, may change at any time. */
package dev.autocert4j.internal.tls;
