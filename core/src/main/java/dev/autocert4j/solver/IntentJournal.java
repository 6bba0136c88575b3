package dev.autocert4j.solver;

/**
 * Where a {@link Solver} records, durably and <em>before</em> a side effect that outlives the process (a DNS
 * record, an Ingress rule), a cleanup handle that removes whatever that side effect may have created. If the
 * process dies between the call that creates it and the moment the {@linkplain Presentation#cleanupHandle()
 * confirmed handle} is stored, a manager started later hands the intent's handle to {@link Solver#cleanUp} of a
 * solver with the same {@link Solver#solverId()}; so such a handle MUST remove the effect whether or not it
 * happened, and MUST NOT contain secrets. The manager forgets the intents of a presentation once its confirmed
 * handle is stored, or after a failed {@link Solver#present} once they were cleaned up.
 *
 * <p>Implementations are safe for concurrent use.
 */
@FunctionalInterface
public interface IntentJournal {
    /** Records nothing: for presenting outside a manager, where nothing survives the process anyway. */
    IntentJournal NONE = handle -> {
    };

    /**
     * Records the intent; returns once it is durable (or once the manager knows its store keeps no journal).
     *
     * @param cleanupHandle a handle that removes what is about to be created, also if it never was
     * @throws SolverException when the intent could not be recorded: the solver MUST NOT go on to create
     */
    void recordIntent(String cleanupHandle) throws SolverException;
}
