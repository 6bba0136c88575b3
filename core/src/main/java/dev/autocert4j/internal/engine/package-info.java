/**
 * The manager's engine behind the {@link dev.autocert4j.CertificateManager} facade: issuance with
 * issuer fallback, failure backoff, renewal planning, background renewal, leftover cleanup,
 * status, events, scheduling, locks, and the checks of the manager's settings. Implementation
 * detail: not exported, may change at any time.
 */
package dev.autocert4j.internal.engine;
