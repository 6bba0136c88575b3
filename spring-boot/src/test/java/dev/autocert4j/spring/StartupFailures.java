package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** Starts {@link TestApplication} without a web server expecting a failure, and reads it as Spring Boot reports it. */
final class StartupFailures {
    private StartupFailures() {
    }

    /**
     * @param store the file store's directory
     * @param properties the application's properties
     * @return why start-up failed
     */
    static Throwable start(Path store, String... properties) {
        List<String> all = new ArrayList<>(List.of(properties));
        all.add("autocert4j.store.directory=" + store);
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run().close());
        assertThat(failure).as("start-up failure").isNotNull();
        return failure;
    }

    /** @return the property exception among the failure's causes */
    static InvalidAutocert4jPropertyException invalidProperty(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidAutocert4jPropertyException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("cause of %s", failure).isInstanceOf(InvalidAutocert4jPropertyException.class);
        return (InvalidAutocert4jPropertyException) cause;
    }

    /** @return the failure report Spring Boot prints, from the first of its analyzers that explains the failure */
    static FailureAnalysis report(Throwable failure) {
        // as Spring Boot finds them; analyzers that need a bean factory cannot be made here and are skipped
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(StartupFailures.class.getClassLoader())
                .load(FailureAnalyzer.class, (type, name, error) -> { });
        return analyzers.stream().map(analyzer -> analyzer.analyze(failure)).filter(Objects::nonNull).findFirst()
                .orElseThrow(() -> new AssertionError("no failure analyzer explains " + failure));
    }
}
