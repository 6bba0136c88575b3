package dev.autocert4j.solver;

import java.time.Instant;
import java.util.Optional;

/**
 * A challenge a {@link Solver} has presented. Closing it removes what was presented.
 * Implementations MUST make {@link #close()} idempotent and MUST be safe to close from another
 * thread than the one that presented.
 */
public interface Presentation extends AutoCloseable {
    /**
     * Blocks until the proof should be visible to the CA, as far as the solver can tell (DNS
     * propagation to every authoritative server, an HTTP self-check). The default returns at once,
     * which is right for a responder inside this process.
     *
     * @param deadline give up with a {@link SolverException} after this instant
     * @throws SolverException when the proof did not become visible in time
     * @throws InterruptedException when interrupted while waiting
     */
    default void awaitVisible(Instant deadline) throws SolverException, InterruptedException {
    }

    /**
     * What a later process needs to remove this proof if this one dies before {@link #close()}:
     * a text that {@link Solver#cleanUp(String)} of the same solver (same
     * {@link Solver#solverId()}) understands, for example a DNS record handle. The manager writes
     * it to the store before the challenge is triggered and removes it after a successful close.
     * The default is empty: nothing outlives the process (an in-process HTTP responder).
     *
     * @return the cleanup handle, if what was presented outlives this process; MUST NOT contain
     *     secrets, it is stored in plain text
     */
    default Optional<String> cleanupHandle() {
        return Optional.empty();
    }

    /**
     * Removes the presented proof.
     *
     * @throws SolverException when it could not be removed (the caller records it for a later retry)
     */
    @Override
    void close() throws SolverException;
}
