package dev.autocert4j.solver;

import dev.autocert4j.AutocertException;

/**
 * The CA tried to validate a challenge and failed; {@link #problemType()} and
 * {@link #problemDetail()} carry the CA's RFC 7807 problem document, which usually says what it
 * saw instead of the expected proof (connection refused, wrong content, NXDOMAIN).
 */
public class ValidationFailedException extends AutocertException {
    private static final long serialVersionUID = 1L;

    private final String identifier;
    private final String problemType;
    private final String problemDetail;

    /**
     * @param identifier the DNS name or IP address whose validation failed
     * @param problemType the CA's problem type URN, e.g. {@code urn:ietf:params:acme:error:connection}
     * @param problemDetail the CA's human-readable detail
     */
    public ValidationFailedException(String identifier, String problemType, String problemDetail) {
        super("The CA could not validate " + identifier + ": " + problemDetail + " (" + problemType
                + "). Check that the challenge is reachable for the CA.", true);
        this.identifier = identifier;
        this.problemType = problemType;
        this.problemDetail = problemDetail;
    }

    /** @return the DNS name or IP address whose validation failed */
    public String identifier() {
        return identifier;
    }

    /** @return the CA's problem type URN */
    public String problemType() {
        return problemType;
    }

    /** @return the CA's problem detail */
    public String problemDetail() {
        return problemDetail;
    }
}
