/** Issuers: the ACME issuer on acme4j. */
package dev.autocert4j.issuer;
