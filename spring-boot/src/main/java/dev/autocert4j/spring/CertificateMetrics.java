package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.springframework.context.event.EventListener;

/**
 * Micrometer meters named after cert-manager's Prometheus metrics, so that its dashboards and alerts work
 * unchanged: per managed certificate the gauges {@value #EXPIRATION}, {@value #RENEWAL} and {@value #READY}
 * (one series per {@code condition} True/False/Unknown, 1 for the current one), tagged {@code name},
 * {@code namespace}, {@code issuer_name}, {@code issuer_kind}, {@code issuer_group}; and, from the certificate
 * events, the counters {@value #ORDERS}, {@value #ISSUED} and {@value #FAILURES}. Gauges take the status from
 * {@link CertificateManager#cachedStatus}, so a scrape reads the store only after a change (a renewal, a failure, a
 * renewal time or expiry passing). Certificates managed later get their gauges at their first event. Thread-safe.
 */
public final class CertificateMetrics implements MeterBinder {
    /** The expiry of the stored certificate, in seconds since the epoch. */
    public static final String EXPIRATION = "certmanager.certificate.expiration.timestamp.seconds";
    /** When the stored certificate is renewed, in seconds since the epoch. */
    public static final String RENEWAL = "certmanager.certificate.renewal.timestamp.seconds";
    /** The {@code Ready} condition: 1 for the series whose {@code condition} tag is the current status. */
    public static final String READY = "certmanager.certificate.ready.status";
    /** ACME orders placed ({@code OrderCreated} events). */
    public static final String ORDERS = "autocert4j.acme.orders";
    /** Certificates issued or renewed ({@code Issued} and {@code Renewed} events). */
    public static final String ISSUED = "autocert4j.certificate.issuances";
    /** Failed issuance attempts ({@code Failed} events). */
    public static final String FAILURES = "autocert4j.certificate.issuance.failures";

    /** cert-manager's API group, the {@code issuer_group} of every issuer reference. */
    private static final String ISSUER_GROUP = "cert-manager.io";

    private final CertificateManager manager;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<String> withGauges = ConcurrentHashMap.newKeySet();

    /** @param manager the manager whose certificates are measured */
    public CertificateMetrics(CertificateManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        manager.managedCertificates().forEach(certificate -> registerGauges(registry, certificate));
    }

    /**
     * Counts an event, and adds the gauges of a certificate managed after binding.
     *
     * @param event a certificate event, as the starter republishes them
     */
    @EventListener
    public void onEvent(CertificateEvent event) {
        Optional<Certificate> certificate = manager.managedCertificates().stream()
                .filter(c -> c.id().equals(event.certificateId())).findFirst();
        if (certificate.isEmpty()) {
            return;
        }
        if (withGauges.add(certificate.get().id())) {
            registries.forEach(registry -> registerGauges(registry, certificate.get()));
        }
        String counter = switch (event.type()) {
            case ORDER_CREATED -> ORDERS;
            case ISSUED, RENEWED -> ISSUED;
            case FAILED -> FAILURES;
            default -> null;
        };
        if (counter != null) {
            // The builder, not registry.counter(String, Tags): Micrometer 1.16 added that overload, and a jar compiled
            // against it (Spring Boot 4) fails with NoSuchMethodError on Micrometer 1.15 (Spring Boot 3.5).
            registries.forEach(registry -> Counter.builder(counter).tags(tags(certificate.get())).register(registry)
                    .increment());
        }
    }

    private void registerGauges(MeterRegistry registry, Certificate certificate) {
        withGauges.add(certificate.id());
        Tags tags = tags(certificate);
        gauge(registry, EXPIRATION, "The date after which the certificate expires. Expressed as a Unix Epoch Time.",
                tags, certificate, status -> seconds(status.notAfter()));
        gauge(registry, RENEWAL, "The date at which the certificate is renewed. Expressed as a Unix Epoch Time.",
                tags, certificate, status -> seconds(status.renewalTime()));
        for (CertificateStatus.ConditionStatus condition : CertificateStatus.ConditionStatus.values()) {
            gauge(registry, READY, "The ready status of the certificate.", tags.and("condition", spelled(condition)),
                    certificate, status -> status.ready().status() == condition ? 1.0 : 0.0);
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, Tags tags, Certificate certificate,
            Function<CertificateStatus, Double> value) {
        // No base unit: Micrometer would append it, and the names already end as cert-manager's do.
        Gauge.builder(name, () -> read(certificate, value)).description(description).tags(tags).register(registry);
    }

    private double read(Certificate certificate, Function<CertificateStatus, Double> value) {
        try {
            return value.apply(manager.cachedStatus(certificate));
        } catch (StoreException e) {
            return Double.NaN;
        }
    }

    private static double seconds(Optional<Instant> instant) {
        return instant.map(at -> (double) at.getEpochSecond()).orElse(Double.NaN);
    }

    /** As Kubernetes spells condition statuses: {@code True}, {@code False}, {@code Unknown}. */
    private static String spelled(CertificateStatus.ConditionStatus condition) {
        String name = condition.name();
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }

    private static Tags tags(Certificate certificate) {
        return Tags.of("name", certificate.name(), "namespace", certificate.namespace(),
                "issuer_name", certificate.issuerRef().name(),
                "issuer_kind", certificate.issuerRef().kind().manifestName(), "issuer_group", ISSUER_GROUP);
    }
}
