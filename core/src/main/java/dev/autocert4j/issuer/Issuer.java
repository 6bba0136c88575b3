package dev.autocert4j.issuer;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.StoredCertificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Turns a certificate request into a signed chain: an ACME CA, a self-signed issuer, a private CA.
 *
 * <p>Implementations MUST be safe for concurrent use: one issuer serves every certificate of a
 * manager, possibly at once. They MUST NOT put private keys, account keys or credentials into
 * exceptions, logs or {@code toString()}.
 */
public interface Issuer {
    /** @return the name certificates use in their {@link IssuerRef} */
    String name();

    /** @return cluster-wide or bound to one namespace */
    IssuerScope scope();

    /**
     * Refuses, before any order is placed, a certificate this issuer cannot sign with the solvers
     * it would get (for ACME: a name no solver can serve). The default accepts everything.
     *
     * @param certificate the certificate about to be issued
     * @param solvers the solvers configured on the manager
     * @throws IllegalArgumentException saying what to change
     */
    default void checkCanIssue(Certificate certificate, SolverSet solvers) {
    }

    /**
     * Issues a certificate for the request. Implementations MUST clean up whatever they present
     * (challenges, records), also when they fail.
     *
     * @param request the certificate, its key pair and CSR
     * @param context solvers, store, clock and event sink of the calling manager
     * @return the chain, leaf first
     * @throws AutocertException when issuance fails
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context)
            throws AutocertException, InterruptedException;

    /**
     * Issues a certificate for the request and names its CA when the issuer knows it; the manager calls this
     * method, and stores hand the CA on as cert-manager's {@code ca.crt}. The default returns
     * {@link #issue(IssuanceRequest, IssuanceContext)}'s chain without a CA, as an ACME CA's; an issuer that
     * signs with a CA of its own overrides it.
     *
     * @param request the certificate, its key pair and CSR
     * @param context solvers, store, clock and event sink of the calling manager
     * @return the chain, leaf first, and the CA if known
     * @throws AutocertException when issuance fails
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    default IssuedCertificate issueCertificate(IssuanceRequest request, IssuanceContext context)
            throws AutocertException, InterruptedException {
        return IssuedCertificate.of(issue(request, context));
    }

    /**
     * Asks the CA when it suggests renewing a certificate it issued (ACME Renewal Information).
     *
     * @param stored the certificate as stored
     * @param context the manager's context
     * @return the suggested window, or empty when the CA offers none (the default)
     * @throws AutocertException when the CA cannot be asked; the manager then keeps its own schedule
     * @throws InterruptedException when interrupted
     */
    default Optional<RenewalWindow> renewalWindow(StoredCertificate stored, IssuanceContext context)
            throws AutocertException, InterruptedException {
        return Optional.empty();
    }

    /**
     * Revokes a certificate this issuer issued.
     *
     * @param stored the certificate with its key pair
     * @param reason why
     * @param context the manager's context
     * @throws AutocertException when the CA refuses or cannot be reached
     * @throws InterruptedException when interrupted
     * @throws UnsupportedOperationException when this issuer cannot revoke (the default)
     */
    default void revoke(StoredCertificate stored, RevocationReason reason, IssuanceContext context)
            throws AutocertException, InterruptedException {
        throw new UnsupportedOperationException("issuer " + name() + " (" + getClass().getSimpleName()
                + ") cannot revoke certificates");
    }
}
