package dev.autocert4j;

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
}
