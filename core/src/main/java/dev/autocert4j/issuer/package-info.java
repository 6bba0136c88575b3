/**
 * Issuers: the ACME issuer on acme4j, and the self-signed and CA issuers that sign inside the
 * process with BouncyCastle.
 */
package dev.autocert4j.issuer;
