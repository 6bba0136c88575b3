/**
 * autocert4j: certificates obtained from ACME CAs, stored, and kept renewed. Start with
 * {@link dev.autocert4j.CertificateManager}; describe what you want with {@link dev.autocert4j.Certificate}.
 */
package dev.autocert4j;
