/**
 * The {@link dev.autocert4j.store.CertificateStore} SPI, its optional abilities, the stored values, the
 * in-memory store, and the PEM codec every store uses.
 */
package dev.autocert4j.store;
