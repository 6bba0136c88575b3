package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.store.InMemoryCertificateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code autocert4j} health indicator and the cert-manager-named metrics, in an application context with a
 * certificate manager of the application's own (a self-signed issuer, a store in memory, a clock the test moves),
 * so that the test decides when issuance runs and what time it is.
 */
class CertificateHealthAndMetricsTest {
    private static final Certificate API = Certificate.builder("api").dnsNames("api.internal")
            .duration(Duration.ofDays(30)).issuerRef(IssuerRef.clusterIssuer("internal")).build();
    /** Issued by a CA whose own certificate is not in the store: every attempt fails. */
    private static final Certificate WEB = Certificate.builder("web").dnsNames("web.internal")
            .issuerRef(IssuerRef.clusterIssuer("missing-ca")).build();

    /** Without the starter's lifecycle, which would start background renewal: the tests call runDue(). */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(Autocert4jHealthAutoConfiguration.class,
                    Autocert4jMetricsAutoConfiguration.class))
            .withUserConfiguration(OwnManager.class);

    @TempDir
    Path dir;

    @Test
    void theStartersOwnManagerIsReportedUpOnceItsBackgroundRenewalIssuedTheCertificate() throws Exception {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(Autocert4jAutoConfiguration.class,
                        Autocert4jHealthAutoConfiguration.class, Autocert4jMetricsAutoConfiguration.class))
                .withPropertyValues("autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.certificates.api.dns-names=api.internal", "autocert4j.store.directory=" + dir)
                .run(context -> {
                    assertThat(context).hasSingleBean(CertificateMetrics.class);
                    HealthIndicator indicator = context.getBean("autocert4jHealthIndicator", HealthIndicator.class);
                    // Issuance runs on the manager's background thread; a generous bound, not a timing claim.
                    Instant deadline = Instant.now().plusSeconds(30);
                    while (indicator.health().getStatus() != Status.UP && Instant.now().isBefore(deadline)) {
                        Thread.sleep(50);
                    }
                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsOnlyKeys("default/api");
                });
    }

    @Test
    void springBootFindsBothAutoConfigurationsInTheJar() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE).properties("autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.certificates.api.dns-names=api.internal", "autocert4j.store.directory=" + dir)
                .run()) {
            assertThat(context.getBeansOfType(CertificateHealthIndicator.class)).containsOnlyKeys("autocert4jHealthIndicator");
            assertThat(context.getBeansOfType(CertificateMetrics.class)).hasSize(1);
        }
    }

    @Test
    void healthIsUpOnceTheCertificateIsIssuedAndDownOnceItHasExpired() {
        runner.run(context -> {
            CertificateManager manager = context.getBean(CertificateManager.class);
            manager.manage(API);
            HealthIndicator indicator = context.getBean("autocert4jHealthIndicator", HealthIndicator.class);
            assertThat(indicator.health().getStatus()).as("before the first issuance").isEqualTo(Status.UNKNOWN);

            manager.runDue();
            CertificateStatus issued = manager.status(API);
            Health up = indicator.health();

            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(detail(up, API)).containsEntry("name", "api").containsEntry("ready", "Ready")
                    .containsEntry("notAfter", issued.notAfter().orElseThrow().toString())
                    .containsEntry("renewalTime", issued.renewalTime().orElseThrow().toString())
                    .doesNotContainKey("lastFailure");

            context.getBean(MovableClock.class).now = issued.notAfter().orElseThrow();
            Health down = indicator.health();

            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(detail(down, API)).containsEntry("ready", "Expired").containsEntry("health", "FAILING");
        });
    }

    @Test
    void healthIsDownWithTheLastFailureWhenTheFirstIssuanceFailed() {
        runner.run(context -> {
            CertificateManager manager = context.getBean(CertificateManager.class);
            manager.manage(API);
            manager.manage(WEB);
            manager.runDue();
            Health health = context.getBean("autocert4jHealthIndicator", HealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(detail(health, API)).containsEntry("health", "READY");
            assertThat(detail(health, WEB)).containsEntry("health", "FAILING").containsEntry("ready", "DoesNotExist")
                    .containsEntry("failedIssuanceAttempts", 1).containsKeys("lastFailureTime", "nextAttempt")
                    .hasEntrySatisfying("lastFailure", message -> assertThat((String) message)
                            .contains("is not in the store yet").doesNotContain("PRIVATE KEY"));
        });
    }

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

            context.getBean(MovableClock.class).now = api.notAfter().orElseThrow();
            assertThat(registry.get(CertificateMetrics.READY).tags("name", "api", "condition", "False").gauge().value())
                    .as("read when scraped: the certificate has expired since").isEqualTo(1.0);
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
                    context.getBean(MovableClock.class).now));

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
    void noHealthIndicatorWithoutSpringBootHealthOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health.")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(CertificateManager.class)
                    .doesNotHaveBean(CertificateHealthIndicator.class).hasSingleBean(CertificateMetrics.class);
        });
    }

    @Test
    void noMetricsWithoutMicrometerOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(CertificateManager.class)
                    .doesNotHaveBean(CertificateMetrics.class).hasSingleBean(CertificateHealthIndicator.class);
        });
    }

    @Test
    void healthIndicatorCanBeTurnedOffLikeSpringBootsOwn() {
        runner.withPropertyValues("management.health.autocert4j.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(CertificateHealthIndicator.class);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health health, Certificate certificate) {
        return (Map<String, Object>) health.getDetails().get(certificate.id());
    }

    private static double gauge(MeterRegistry registry, String name, String certificate) {
        return registry.get(name).tag("name", certificate).gauge().value();
    }

    private static double counter(MeterRegistry registry, String name, String certificate) {
        return registry.get(name).tag("name", certificate).counter().count();
    }

    /** The application's own manager, as the README shows: with the starter's listener, so events reach Spring. */
    @Configuration(proxyBeanMethods = false)
    static class OwnManager {
        @Bean
        MovableClock clock() {
            return new MovableClock();
        }

        @Bean(destroyMethod = "close")
        CertificateManager certificateManager(MovableClock clock, ApplicationEventPublisher publisher) {
            Certificate ca = Certificate.builder("ca").dnsNames("absent-ca.internal").isCA(true)
                    .issuerRef(IssuerRef.clusterIssuer("internal")).build();
            return CertificateManager.builder().clock(clock).store(new InMemoryCertificateStore())
                    .issuer(SelfSignedIssuer.builder("internal").build())
                    .issuer(CaIssuer.builder("missing-ca").secret(ca).build())
                    .listener(new ApplicationEventCertificateListener(publisher)).build();
        }
    }
}
