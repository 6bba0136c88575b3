package dev.autocert4j.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidAutocert4jPropertyException} the way Spring Boot reports a bad port or a missing
 * bean: "APPLICATION FAILED TO START", what is wrong, and the property to change. Registered in
 * {@code META-INF/spring.factories}. Thread-safe (stateless).
 */
public final class Autocert4jFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAutocert4jPropertyException> {

    /** Created by Spring Boot's failure analysis. */
    public Autocert4jFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidAutocert4jPropertyException cause) {
        return new FailureAnalysis("autocert4j is misconfigured. " + cause.getMessage(),
                "Change the property '" + cause.property() + "': " + cause.action(), cause);
    }
}
