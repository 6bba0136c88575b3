package dev.autocert4j.spring;

import dev.autocert4j.CertificateStatus;

/**
 * How one certificate counts for the application's health, from its {@link CertificateStatus}: the manager's
 * clock decides expiry and renewal times there, so this needs none of its own.
 */
enum CertificateHealth {
    /** A valid certificate for the current spec is stored, and its renewal is not due yet. */
    READY,
    /** Not known to be good or bad yet: the first issuance, or a due renewal of a still valid certificate. */
    PENDING,
    /** Nothing valid to serve: expired, revoked, or never obtained and the first attempt failed. */
    FAILING;

    static CertificateHealth of(CertificateStatus status) {
        String reason = status.ready().reason();
        if (reason.equals("Expired") || reason.equals("Revoked")
                || (reason.equals("DoesNotExist") && status.failedIssuanceAttempts() > 0)) {
            return FAILING;
        }
        if (status.isReady() && status.issuing().reason().equals("UpToDate")) {
            return READY;
        }
        return PENDING;
    }
}
