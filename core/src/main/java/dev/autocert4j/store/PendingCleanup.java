package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;

/**
 * Something a solver presented that must still be removed, kept in the {@link CertificateStore}
 * from before the challenge is triggered until it was removed, so that a manager started after a
 * crash removes it ({@link CertificateManager#cleanUpLeftovers()}).
 *
 * @param certificateId the {@link Certificate#id()} of the certificate being ordered
 * @param solverId the {@link Solver#solverId()} of the solver that presented it
 * @param handle the {@link Presentation#cleanupHandle()}; holds no secrets
 */
public record PendingCleanup(String certificateId, String solverId, String handle) {
    /**
     * Validates the components.
     *
     * @param certificateId see the record description
     * @param solverId see the record description
     * @param handle see the record description
     */
    public PendingCleanup {
        requireNonNull(certificateId, "certificateId");
        requireNonNull(solverId, "solverId");
        requireNonNull(handle, "handle");
    }
}
