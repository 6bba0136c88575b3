package dev.autocert4j.spring;

import static dev.autocert4j.spring.ClockedManagerConfiguration.API;
import static dev.autocert4j.spring.ClockedManagerConfiguration.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.support.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code autocert4j} health indicator (Spring Boot 4's or 3's, read through {@link HealthReading}), in an
 * application context with a
 * certificate manager of the application's own ({@link ClockedManagerConfiguration}),
 * so that the test decides when issuance runs and what time it is.
 */
class CertificateHealthTest {
    /** Without the starter's lifecycle, which would start background renewal: the tests call runDue(). */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HealthReading.AUTO_CONFIGURATION,
                    Autocert4jMetricsAutoConfiguration.class))
            .withUserConfiguration(ClockedManagerConfiguration.class);

    @TempDir
    Path dir;

    @Test
    void theStartersOwnManagerIsReportedUpOnceItsBackgroundRenewalIssuedTheCertificate() throws Exception {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(Autocert4jAutoConfiguration.class,
                        HealthReading.AUTO_CONFIGURATION, Autocert4jMetricsAutoConfiguration.class))
                .withPropertyValues("autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.certificates.api.dns-names=api.internal", "autocert4j.store.directory=" + dir)
                .run(context -> {
                    assertThat(context).hasSingleBean(CertificateMetrics.class);
                    Object indicator = context.getBean("autocert4jHealthIndicator");
                    // Issuance runs on the manager's background thread; a generous bound, not a timing claim.
                    Poll.until(Duration.ofSeconds(30), () -> HealthReading.of(indicator).status().equals("UP"),
                            () -> "health not UP within 30 s: " + HealthReading.of(indicator).status());
                    assertThat(HealthReading.of(indicator).details()).containsOnlyKeys("default/api");
                });
    }

    @Test
    void springBootFindsBothAutoConfigurationsInTheJar() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE).properties("autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.certificates.api.dns-names=api.internal", "autocert4j.store.directory=" + dir)
                .run()) {
            assertThat(context.containsBean("autocert4jHealthIndicator")).isTrue();
            assertThat(context.getBeansOfType(CertificateMetrics.class)).hasSize(1);
        }
    }

    @Test
    void healthIsUpOnceTheCertificateIsIssuedAndDownOnceItHasExpired() {
        runner.run(context -> {
            CertificateManager manager = context.getBean(CertificateManager.class);
            manager.manage(API);
            Object indicator = context.getBean("autocert4jHealthIndicator");
            assertThat(HealthReading.of(indicator).status()).as("before the first issuance").isEqualTo("UNKNOWN");

            manager.runDue();
            CertificateStatus issued = manager.status(API);
            HealthReading up = HealthReading.of(indicator);

            assertThat(up.status()).isEqualTo("UP");
            assertThat(detail(up, API)).containsEntry("name", "api").containsEntry("ready", "Ready")
                    .containsEntry("notAfter", issued.notAfter().orElseThrow().toString())
                    .containsEntry("renewalTime", issued.renewalTime().orElseThrow().toString())
                    .doesNotContainKey("lastFailure");

            context.getBean(MovableClock.class).set(issued.notAfter().orElseThrow());
            HealthReading down = HealthReading.of(indicator);

            assertThat(down.status()).isEqualTo("DOWN");
            assertThat(detail(down, API)).containsEntry("ready", "Expired").containsEntry("health", "FAILING");
        });
    }

    @Test
    void healthChecksReadTheStoreOnlyAfterAChangeAndShowTheRenewal() {
        runner.run(context -> {
            CertificateManager manager = context.getBean(CertificateManager.class);
            ReadCountingStore store = context.getBean(ReadCountingStore.class);
            manager.manage(API);
            manager.runDue();
            Object indicator = context.getBean("autocert4jHealthIndicator");
            HealthReading.of(indicator);
            store.reads.set(0);

            for (int i = 0; i < 20; i++) {
                HealthReading.of(indicator);
            }
            int readsIn20Checks = store.reads.get();
            CertificateStatus first = manager.status(API);
            context.getBean(MovableClock.class).set(first.renewalTime().orElseThrow());
            manager.runDue();
            HealthReading renewed = HealthReading.of(indicator);

            assertThat(readsIn20Checks).as("store reads in 20 health checks after the first").isZero();
            assertThat(renewed.status()).isEqualTo("UP");
            assertThat(detail(renewed, API)).containsEntry("notAfter",
                    manager.status(API).notAfter().orElseThrow().toString())
                    .doesNotContainEntry("notAfter", first.notAfter().orElseThrow().toString());
        });
    }

    @Test
    void healthIsDownWithTheLastFailureWhenTheFirstIssuanceFailed() {
        runner.run(context -> {
            CertificateManager manager = context.getBean(CertificateManager.class);
            manager.manage(API);
            manager.manage(WEB);
            manager.runDue();
            HealthReading health = HealthReading.of(context.getBean("autocert4jHealthIndicator"));

            assertThat(health.status()).isEqualTo("DOWN");
            assertThat(detail(health, API)).containsEntry("health", "READY");
            assertThat(detail(health, WEB)).containsEntry("health", "FAILING").containsEntry("ready", "DoesNotExist")
                    .containsEntry("failedIssuanceAttempts", 1).containsKeys("lastFailureTime", "nextAttempt")
                    .hasEntrySatisfying("lastFailure", message -> assertThat((String) message)
                            .contains("is not in the store yet").doesNotContain("PRIVATE KEY"));
        });
    }

    @Test
    void noHealthIndicatorWithoutSpringBootHealthOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(HealthReading.HEALTH_PACKAGE)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(CertificateManager.class)
                    .doesNotHaveBean("autocert4jHealthIndicator").hasSingleBean(CertificateMetrics.class);
        });
    }

    @Test
    void healthIndicatorCanBeTurnedOffLikeSpringBootsOwn() {
        runner.withPropertyValues("management.health.autocert4j.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean("autocert4jHealthIndicator");
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(HealthReading health, Certificate certificate) {
        return (Map<String, Object>) health.details().get(certificate.id());
    }
}
