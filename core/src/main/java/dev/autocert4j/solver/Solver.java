package dev.autocert4j.solver;

import dev.autocert4j.Identifier;

/**
 * Proves control of an identifier for one ACME challenge type.
 *
 * <p>Implementations MUST be safe for concurrent use (several orders present at once) and MUST
 * clean up in {@link Presentation#close()} whatever {@link #present} created.
 */
public interface Solver {
    /** @return the challenge type this solver answers */
    ChallengeType challengeType();

    /**
     * Whether this solver can prove control of the identifier at all; HTTP-01 cannot prove a
     * wildcard, for example. Checked before any order is placed.
     *
     * @param identifier a normalised identifier
     * @return true if {@link #present} can serve it
     */
    boolean canSolve(Identifier identifier);

    /**
     * Publishes the proof for one challenge.
     *
     * @param challenge the challenge to present
     * @return a handle that waits for visibility and removes the proof when closed
     * @throws SolverException when the proof could not be published
     */
    Presentation present(ChallengeRequest challenge) throws SolverException;

    /**
     * Publishes the proof for one challenge, recording each side effect that outlives the process in
     * {@code intents} before making it, so that a process killed at any instant leaves nothing a later
     * manager cannot remove. The manager calls this method. The default ignores {@code intents} and calls
     * {@link #present(ChallengeRequest)}: right for solvers whose proofs die with the process; solvers that
     * return {@linkplain Presentation#cleanupHandle() cleanup handles} SHOULD override it.
     *
     * @param challenge the challenge to present
     * @param intents where to record, before each side effect, how to undo it
     * @return a handle that waits for visibility and removes the proof when closed
     * @throws SolverException when the proof could not be published
     */
    default Presentation present(ChallengeRequest challenge, IntentJournal intents) throws SolverException {
        return present(challenge);
    }

    /**
     * A stable name of this solver's configuration that a later process, configured the same
     * way, returns too: durable cleanup finds the solver for a stored
     * {@linkplain Presentation#cleanupHandle() cleanup handle} by it. The default is the challenge
     * type and the class name; solvers that return cleanup handles SHOULD make it more specific
     * (a DNS provider and its account, for example).
     *
     * @return the solver's id
     */
    default String solverId() {
        return challengeType().acmeName() + "/" + getClass().getName();
    }

    /**
     * Removes a proof that an earlier process presented and could not clean up, given the
     * {@linkplain Presentation#cleanupHandle() handle} it returned. MUST be idempotent: a proof
     * that is already gone is not an error.
     *
     * @param handle a cleanup handle of a presentation of a solver with the same {@link #solverId()}
     * @throws SolverException when the proof could not be removed (it is tried again later)
     * @throws UnsupportedOperationException by default: solvers whose presentations return no
     *     cleanup handle have nothing to clean up
     */
    default void cleanUp(String handle) throws SolverException {
        throw new UnsupportedOperationException(getClass().getName()
                + " returns no cleanup handles, so it cannot clean up after another process");
    }
}
