package dev.autocert4j.spring;

import static dev.autocert4j.spring.ClockedManagerConfiguration.API;
import static dev.autocert4j.spring.ClockedManagerConfiguration.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.testing.support.MovableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The cert-manager-named metrics, rendered by a Prometheus registry, in an application context with a certificate
 * manager of the application's own ({@link ClockedManagerConfiguration}). Runs on Spring Boot 3.5 too.
 */
class CertificateMetricsTest {
    /** Without the starter's lifecycle, which would start background renewal: the tests call runDue(). */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(Autocert4jMetricsAutoConfiguration.class))
            .withUserConfiguration(ClockedManagerConfiguration.class);

    @Test
    void prometheusRendersTheGaugesWithCertManagersNamesAndLabels() {
        runner.run(context -> {
            CertificateManager manager = context.getBean(CertificateManager.class);
            manager.manage(API);
            manager.manage(WEB);
            manager.runDue();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getBean(CertificateMetrics.class).bindTo(registry);
            CertificateStatus api = manager.status(API);

            String labels = "issuer_group=\"cert-manager.io\",issuer_kind=\"ClusterIssuer\",issuer_name=\"internal\","
                    + "name=\"api\",namespace=\"" + API.namespace() + "\"";
            String scrape = registry.scrape();
            assertThat(scrape).contains("# TYPE certmanager_certificate_expiration_timestamp_seconds gauge",
                    "certmanager_certificate_expiration_timestamp_seconds{" + labels + "} ",
                    "certmanager_certificate_renewal_timestamp_seconds{" + labels + "} ",
                    "certmanager_certificate_ready_status{condition=\"True\"," + labels + "} 1.0",
                    "certmanager_certificate_ready_status{condition=\"False\"," + labels + "} 0.0",
                    "certmanager_certificate_ready_status{condition=\"Unknown\"," + labels + "} 0.0",
                    "certmanager_certificate_ready_status{condition=\"False\",issuer_group=\"cert-manager.io\","
                            + "issuer_kind=\"ClusterIssuer\",issuer_name=\"missing-ca\",name=\"web\"");
            assertThat(gauge(registry, CertificateMetrics.EXPIRATION, "api"))
                    .isEqualTo(api.notAfter().orElseThrow().getEpochSecond());
            assertThat(gauge(registry, CertificateMetrics.RENEWAL, "api"))
                    .isEqualTo(api.renewalTime().orElseThrow().getEpochSecond());
            assertThat(gauge(registry, CertificateMetrics.EXPIRATION, "web")).as("nothing stored").isNaN();

            context.getBean(MovableClock.class).set(api.notAfter().orElseThrow());
            assertThat(registry.get(CertificateMetrics.READY).tags("name", "api", "condition", "False").gauge().value())
                    .as("read when scraped: the certificate has expired since").isEqualTo(1.0);
        });
    }

    @Test
    void scrapesReadTheStoreOnlyAfterAChangeAndShowTheRenewal() {
        runner.run(context -> {
            CertificateManager manager = context.getBean(CertificateManager.class);
            ReadCountingStore store = context.getBean(ReadCountingStore.class);
            MovableClock clock = context.getBean(MovableClock.class);
            manager.manage(API);
            manager.runDue();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getBean(CertificateMetrics.class).bindTo(registry);
            registry.scrape();
            store.reads.set(0);

            for (int i = 0; i < 20; i++) {
                registry.scrape();
            }
            int readsIn20Scrapes = store.reads.get();
            CertificateStatus first = manager.status(API);
            clock.set(first.renewalTime().orElseThrow());
            manager.runDue();

            assertThat(readsIn20Scrapes).as("store reads in 20 scrapes after the first").isZero();
            assertThat(gauge(registry, CertificateMetrics.EXPIRATION, "api")).as("the renewed certificate's expiry")
                    .isEqualTo(manager.status(API).notAfter().orElseThrow().getEpochSecond())
                    .isNotEqualTo(first.notAfter().orElseThrow().getEpochSecond());
        });
    }

    @Test
    void eventsCountOrdersIssuancesAndFailuresPerCertificate() {
        runner.run(context -> {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getBean(CertificateMetrics.class).bindTo(registry);
            CertificateManager manager = context.getBean(CertificateManager.class);
            manager.manage(API);
            manager.manage(WEB);
            manager.runDue();
            // Only ACME issuers place orders; the event arrives as the starter's listener republishes it.
            context.publishEvent(new CertificateEvent(CertificateEvent.Type.ORDER_CREATED, API.id(), "order placed",
                    context.getBean(MovableClock.class).instant()));

            assertThat(counter(registry, CertificateMetrics.ISSUED, "api")).isEqualTo(1.0);
            assertThat(counter(registry, CertificateMetrics.FAILURES, "web")).isEqualTo(1.0);
            assertThat(counter(registry, CertificateMetrics.ORDERS, "api")).isEqualTo(1.0);
            assertThat(registry.find(CertificateMetrics.FAILURES).tag("name", "api").counter()).isNull();
            assertThat(registry.scrape()).contains("autocert4j_certificate_issuance_failures_total{",
                    "autocert4j_acme_orders_total{", "autocert4j_certificate_issuances_total{")
                    .as("a certificate managed after binding has its gauges from its first event")
                    .contains("certmanager_certificate_expiration_timestamp_seconds{issuer_group=\"cert-manager.io\","
                            + "issuer_kind=\"ClusterIssuer\",issuer_name=\"internal\",name=\"api\"");
        });
    }

    @Test
    void noMetricsWithoutMicrometerOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(CertificateManager.class)
                    .doesNotHaveBean(CertificateMetrics.class);
        });
    }

    private static double gauge(MeterRegistry registry, String name, String certificate) {
        return registry.get(name).tag("name", certificate).gauge().value();
    }

    private static double counter(MeterRegistry registry, String name, String certificate) {
        return registry.get(name).tag("name", certificate).counter().count();
    }
}
