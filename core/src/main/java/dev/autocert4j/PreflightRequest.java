package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.solver.SolverSet;
import java.util.List;

/**
 * What a {@link Preflight} check is asked about: the certificate about to be ordered, the identifiers the
 * checked component would serve (all of the certificate's for stores and issuers, those a solver was selected
 * for), and, for an issuer, the solvers it would use. Immutable and thread-safe.
 */
public final class PreflightRequest {
    private final Certificate certificate;
    private final List<Identifier> identifiers;
    private final SolverSet solvers;

    private PreflightRequest(Certificate certificate, List<Identifier> identifiers, SolverSet solvers) {
        this.certificate = certificate;
        this.identifiers = List.copyOf(identifiers);
        this.solvers = solvers;
    }

    /**
     * @param certificate the certificate about to be ordered
     * @return a request for all its identifiers, with no solvers
     */
    public static PreflightRequest of(Certificate certificate) {
        requireNonNull(certificate, "certificate");
        return new PreflightRequest(certificate, certificate.identifiers(), new SolverSet(List.of()));
    }

    /** @return the certificate about to be ordered */
    public Certificate certificate() {
        return certificate;
    }

    /** @return the identifiers the checked component would serve */
    public List<Identifier> identifiers() {
        return identifiers;
    }

    /** @return the solvers an issuer would use; empty for stores and solvers */
    public SolverSet solvers() {
        return solvers;
    }

    /**
     * @param identifiers the identifiers a solver was selected for
     * @return a copy of this request for those identifiers only
     */
    public PreflightRequest withIdentifiers(List<Identifier> identifiers) {
        return new PreflightRequest(certificate, requireNonNull(identifiers, "identifiers"), solvers);
    }

    /**
     * @param solvers the solvers the checked issuer would use
     * @return a copy of this request with these solvers
     */
    public PreflightRequest withSolvers(SolverSet solvers) {
        return new PreflightRequest(certificate, identifiers, requireNonNull(solvers, "solvers"));
    }

    @Override
    public String toString() {
        return "PreflightRequest[" + certificate.id() + ", " + identifiers + "]";
    }
}
