package dev.autocert4j.spring;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the health indicators report, without Spring Boot's health types (they differ between Spring Boot 3 and 4):
 * the worst {@link CertificateHealth} of the managed certificates, and details per certificate with its
 * {@code notAfter}, renewal time and last failure, never a key or other secret. Statuses come from
 * {@link CertificateManager#cachedStatus}, so a report reads the store only after a change.
 *
 * @param worst the worst health among the managed certificates; {@code READY} when there are none
 * @param details per certificate id, its details
 */
record CertificateHealthReport(CertificateHealth worst, Map<String, Object> details) {

    static CertificateHealthReport of(CertificateManager manager) {
        CertificateHealth worst = CertificateHealth.READY;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Certificate certificate : manager.managedCertificates()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("name", certificate.name());
            detail.put("namespace", certificate.namespace());
            CertificateHealth health;
            try {
                CertificateStatus status = manager.cachedStatus(certificate);
                health = CertificateHealth.of(status);
                describe(status, detail);
            } catch (StoreException e) {
                health = CertificateHealth.FAILING;
                detail.put("error", "the store cannot be read: " + e.getMessage());
            }
            detail.put("health", health.name());
            details.put(certificate.id(), detail);
            worst = health.compareTo(worst) > 0 ? health : worst;
        }
        return new CertificateHealthReport(worst, details);
    }

    private static void describe(CertificateStatus status, Map<String, Object> detail) {
        detail.put("ready", status.ready().reason());
        detail.put("issuing", status.issuing().reason());
        status.notAfter().ifPresent(notAfter -> detail.put("notAfter", notAfter.toString()));
        status.renewalTime().ifPresent(renewal -> detail.put("renewalTime", renewal.toString()));
        if (status.failedIssuanceAttempts() > 0) {
            detail.put("failedIssuanceAttempts", status.failedIssuanceAttempts());
            status.lastFailureTime().ifPresent(at -> detail.put("lastFailureTime", at.toString()));
            status.nextAttempt().ifPresent(at -> detail.put("nextAttempt", at.toString()));
            if (status.issuing().reason().equals("Failed")) {
                detail.put("lastFailure", status.issuing().message());
            }
        }
    }
}
