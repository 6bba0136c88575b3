package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

/**
 * An {@code autocert4j.*} property is missing or wrong. Thrown while the certificate manager is configured,
 * so that start-up fails; {@link Autocert4jFailureAnalyzer} turns it into Spring Boot's failure report. The
 * message names the property and never repeats a secret's value.
 */
public final class InvalidAutocert4jPropertyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The full name of the property to change. */
    private final String property;

    /** What to do about it. */
    private final String action;

    /**
     * @param property the full name of the property to change, such as {@code autocert4j.certificates.www.dns-names}
     * @param problem what is wrong with it
     * @param action what to change
     */
    public InvalidAutocert4jPropertyException(String property, String problem, String action) {
        super(requireNonNull(property, "property") + ": " + requireNonNull(problem, "problem"));
        this.property = property;
        this.action = requireNonNull(action, "action");
    }

    /** @return the full name of the property to change */
    public String property() {
        return property;
    }

    /** @return what to change */
    public String action() {
        return action;
    }
}
