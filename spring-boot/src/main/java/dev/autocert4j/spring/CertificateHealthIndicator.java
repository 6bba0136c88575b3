package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code autocert4j} health indicator on Spring Boot 4: {@code UP} when every managed certificate is valid and
 * its renewal is not due; {@code DOWN} when one has expired or was revoked, or none was ever obtained and the first
 * attempt failed; {@code UNKNOWN} otherwise (the first issuance is running, or a due renewal of a still valid
 * certificate has not succeeded yet). The details name each certificate with its {@code notAfter}, renewal time
 * and last failure; they hold no key or other secret. Statuses come from {@link CertificateManager#cachedStatus}:
 * a health check reads the store only after a change. {@code Boot3CertificateHealthIndicator} reports the same on
 * Spring Boot 3. Thread-safe.
 */
public final class CertificateHealthIndicator implements HealthIndicator {
    private final CertificateManager manager;

    /** @param manager the manager whose certificates are reported */
    public CertificateHealthIndicator(CertificateManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    @Override
    public Health health() {
        CertificateHealthReport report = CertificateHealthReport.of(manager);
        Status status = switch (report.worst()) {
            case READY -> Status.UP;
            case PENDING -> Status.UNKNOWN;
            case FAILING -> Status.DOWN;
        };
        return Health.status(status).withDetails(report.details()).build();
    }
}
