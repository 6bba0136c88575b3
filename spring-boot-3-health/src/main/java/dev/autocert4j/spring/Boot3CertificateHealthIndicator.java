package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The {@code autocert4j} health indicator on Spring Boot 3, whose health API lives in
 * {@code org.springframework.boot.actuate.health}; the same report as {@code CertificateHealthIndicator} on Spring
 * Boot 4: {@code UP} when every managed certificate is valid and its renewal is not due; {@code DOWN} when one has
 * expired or was revoked, or none was ever obtained and the first attempt failed; {@code UNKNOWN} otherwise. The
 * details name each certificate with its {@code notAfter}, renewal time and last failure, never a key or other
 * secret. A health check reads the store only after a change. Thread-safe.
 */
public final class Boot3CertificateHealthIndicator implements HealthIndicator {
    private final CertificateManager manager;

    /** @param manager the manager whose certificates are reported */
    public Boot3CertificateHealthIndicator(CertificateManager manager) {
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
