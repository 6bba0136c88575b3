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
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code autocert4j} health indicator, in an application context with a
 * certificate manager of the application's own ({@link ClockedManagerConfiguration}),
 * so that the test decides when issuance runs and what time it is.
 */
class CertificateHealthTest {
    /** Without the starter's lifecycle, which would start background renewal: the tests call runDue(). */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(Autocert4jHealthAutoConfiguration.class,
                    Autocert4jMetricsAutoConfiguration.class))
            .withUserConfiguration(ClockedManagerConfiguration.class);

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
                    Poll.until(Duration.ofSeconds(30), () -> indicator.health().getStatus() == Status.UP,
                            () -> "health not UP within 30 s: " + indicator.health().getStatus());
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

            context.getBean(MovableClock.class).set(issued.notAfter().orElseThrow());
            Health down = indicator.health();

            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
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
            HealthIndicator indicator = context.getBean("autocert4jHealthIndicator", HealthIndicator.class);
            indicator.health();
            store.reads.set(0);

            for (int i = 0; i < 20; i++) {
                indicator.health();
            }
            int readsIn20Checks = store.reads.get();
            CertificateStatus first = manager.status(API);
            context.getBean(MovableClock.class).set(first.renewalTime().orElseThrow());
            manager.runDue();
            Health renewed = indicator.health();

            assertThat(readsIn20Checks).as("store reads in 20 health checks after the first").isZero();
            assertThat(renewed.getStatus()).isEqualTo(Status.UP);
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
    void noHealthIndicatorWithoutSpringBootHealthOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health.")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(CertificateManager.class)
                    .doesNotHaveBean(CertificateHealthIndicator.class).hasSingleBean(CertificateMetrics.class);
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
}
