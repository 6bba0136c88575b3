/**
 * autocert4j: certificates obtained from ACME CAs, stored, and kept renewed. Start with
 * CertificateManager.
 */
package dev.autocert4j;
