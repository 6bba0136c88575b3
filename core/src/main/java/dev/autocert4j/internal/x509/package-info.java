/** Keys, CSRs, certificate signing, PEM and name checks. Implementation detail: not exported, may change at any time. */
package dev.autocert4j.internal.x509;
