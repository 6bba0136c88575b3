package dev.autocert4j.spring;

/**
 * What the web server serves at start-up for a managed certificate that is not yet in the store (or not valid
 * there): {@code autocert4j.startup}.
 */
public enum StartupMode {
    /**
     * Start-up waits: the certificate is obtained before the web server starts, so the first HTTPS request
     * already gets it; a certificate that cannot be obtained fails start-up. The default.
     */
    WAIT,

    /**
     * The web server starts at once with a self-signed placeholder certificate (made in memory, never stored,
     * valid for a day), while the manager obtains the real one in the background; the real one is served from
     * the next handshake after its issuance, without a restart. A failed first issuance does not fail start-up:
     * it is reported (a {@code Failed} event, a warning, the health indicator) and retried with the manager's
     * backoff.
     */
    PLACEHOLDER
}
