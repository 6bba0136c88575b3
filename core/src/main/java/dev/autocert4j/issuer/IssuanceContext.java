package dev.autocert4j.issuer;

import dev.autocert4j.CertificateListener;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.CertificateStore;
import java.time.Clock;

/**
 * What a CertificateManager lends an {@link Issuer} for one issuance.
 *
 * @param solvers the manager's solvers, to pick one per identifier
 * @param store the manager's store (ACME issuers keep their account keys there)
 * @param locks the manager's lock provider (to create an account key once across replicas)
 * @param clock the manager's clock
 * @param events where to report progress (OrderCreated, Presented, DomainVerified, ...)
 */
public record IssuanceContext(SolverSet solvers, CertificateStore store, LockProvider locks, Clock clock,
        CertificateListener events) {
    /**
     * Validates and copies the components.
     *
     * @param solvers see the record description
     * @param store see the record description
     * @param locks see the record description
     * @param clock see the record description
     * @param events see the record description
     */
    public IssuanceContext {
        java.util.Objects.requireNonNull(solvers, "solvers");
        java.util.Objects.requireNonNull(store, "store");
        java.util.Objects.requireNonNull(locks, "locks");
        java.util.Objects.requireNonNull(clock, "clock");
        java.util.Objects.requireNonNull(events, "events");
    }
}
