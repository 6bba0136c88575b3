package dev.autocert4j;

/**
 * An optional ability of a {@link dev.autocert4j.store.CertificateStore}, a {@link dev.autocert4j.solver.Solver}
 * or an {@link dev.autocert4j.issuer.Issuer}: it says whether what it needs for a certificate is in place, before
 * the CA is asked for an order. The manager finds it with {@code instanceof} and runs it before every order (not
 * on renewal checks that order nothing): first the store's, then for each issuer in turn its own, which for
 * {@link dev.autocert4j.issuer.AcmeIssuer} includes the preflight of every solver selected for the certificate's
 * names. A failed preflight places no order and counts as a failed issuance attempt.
 *
 * <p>Implementations MUST NOT change anything (read, query, bind and release at most): a preflight that passes
 * is followed by the order, and one that fails by nothing. They MUST be safe for concurrent use, SHOULD answer
 * within seconds, MAY remember a success for a short while when the check is expensive (a remote API call),
 * and MUST NOT put credentials into messages.
 */
public interface Preflight {
    /**
     * Checks, without side effects, that what this component needs for the request is in place.
     *
     * @param request the certificate about to be ordered and what this component would serve of it
     * @throws PreflightException naming what is missing or refused and what to change
     * @throws IllegalArgumentException for a configuration mistake that only a changed configuration fixes
     *     (an issuer's directory URL that is no ACME directory, for example)
     * @throws InterruptedException when interrupted while waiting for an answer
     */
    void preflight(PreflightRequest request) throws PreflightException, InterruptedException;
}
