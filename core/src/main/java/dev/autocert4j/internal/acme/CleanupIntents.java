package dev.autocert4j.internal.acme;

import dev.autocert4j.AutocertException;
import dev.autocert4j.solver.IntentJournal;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.CleanupJournal;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intents one presentation recorded in the store's {@link CleanupJournal}: written before the solver's side
 * effect, forgotten once the presentation's confirmed handle is stored, or withdrawn (cleaned up, then
 * forgotten) when presenting failed. A store without a journal records nothing. Thread-safe.
 */
final class CleanupIntents implements IntentJournal {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupIntents.class);

    private final String certificateId;
    private final Solver solver;
    private final CertificateStore store;
    private final List<PendingCleanup> recorded = new ArrayList<>();

    CleanupIntents(String certificateId, Solver solver, CertificateStore store) {
        this.certificateId = certificateId;
        this.solver = solver;
        this.store = store;
    }

    @Override
    public void recordIntent(String cleanupHandle) throws SolverException {
        if (!(store instanceof CleanupJournal journal)) {
            return;
        }
        PendingCleanup intent = new PendingCleanup(certificateId, solver.solverId(), cleanupHandle);
        try {
            journal.recordPendingCleanup(intent);
        } catch (StoreException e) {
            throw new SolverException("Could not record in the store what " + solver.solverId() + " is about to present for "
                    + certificateId + ", so nothing was presented: " + e.getMessage(), true, e);
        }
        synchronized (recorded) {
            recorded.add(intent);
        }
    }

    /** Forgets every recorded intent (what they covered is gone); one that cannot be forgotten stays for a later cleanUpLeftovers. */
    void forget() {
        forget(null);
    }

    /**
     * Forgets the recorded intents, except one equal to the confirmed entry: a solver whose handle is known before
     * it presents (the Ingress solver's route) journals the same entry twice, and forgetting it would drop the
     * confirmed one. One that cannot be forgotten stays for a later cleanUpLeftovers.
     *
     * @param confirmed the entry of the presentation's confirmed handle, now in the journal; null for none
     */
    void forget(PendingCleanup confirmed) {
        for (PendingCleanup intent : drain()) {
            if (intent.equals(confirmed)) {
                continue;
            }
            try {
                ((CleanupJournal) store).removePendingCleanup(intent); // recorded, so a journal
            } catch (StoreException | RuntimeException e) {
                LOG.warn("{}: could not forget a cleanup intent of {}: {}", certificateId, solver.solverId(), e.getMessage());
            }
        }
    }

    /** After a failed present: removes what each intent may have created, then forgets it. */
    void withdraw() {
        for (PendingCleanup intent : drain()) {
            try {
                solver.cleanUp(intent.handle());
                ((CleanupJournal) store).removePendingCleanup(intent);
            } catch (AutocertException | RuntimeException e) {
                LOG.warn("{}: could not remove what {} may have presented before it failed (kept for a later "
                        + "cleanUpLeftovers): {}", certificateId, solver.solverId(), e.getMessage());
            }
        }
    }

    private List<PendingCleanup> drain() {
        synchronized (recorded) {
            List<PendingCleanup> all = List.copyOf(recorded);
            recorded.clear();
            return all;
        }
    }
}
