package dev.autocert4j.solver;

import dev.autocert4j.AutocertException;

/** A solver could not present, verify or clean up a challenge. */
public class SolverException extends AutocertException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param retryable whether a retry may help
     * @param cause the underlying failure, may be null
     */
    public SolverException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }
}
