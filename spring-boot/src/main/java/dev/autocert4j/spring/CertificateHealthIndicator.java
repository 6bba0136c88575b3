package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code autocert4j} health indicator: {@code UP} when every managed certificate is valid and its renewal is
 * not due; {@code DOWN} when one has expired or was revoked, or none was ever obtained and the first attempt
 * failed; {@code UNKNOWN} otherwise (the first issuance is running, or a due renewal of a still valid certificate
 * has not succeeded yet). The details name each certificate with its {@code notAfter}, renewal time and last
 * failure; they hold no key or other secret. Statuses come from
 * {@link CertificateManager#cachedStatus}: a health check reads the store only after a change. Thread-safe.
 */
public final class CertificateHealthIndicator implements HealthIndicator {
    private final CertificateManager manager;

    /** @param manager the manager whose certificates are reported */
    public CertificateHealthIndicator(CertificateManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    @Override
    public Health health() {
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
        Status status = switch (worst) {
            case READY -> Status.UP;
            case PENDING -> Status.UNKNOWN;
            case FAILING -> Status.DOWN;
        };
        return Health.status(status).withDetails(details).build();
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
