package dev.autocert4j.internal.engine;

import dev.autocert4j.AutocertException;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.CleanupJournal;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what solvers presented in a process that died before it could clean up, as the store's
 * {@link CleanupJournal} recorded it. Thread-safe.
 */
public final class LeftoverCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverCleaner.class);

    private final CertificateStore store;
    private final LockProvider locks;
    private final Issuers issuers;
    private final AtomicBoolean cleaned = new AtomicBoolean();

    /**
     * @param store the store, if it keeps a {@link CleanupJournal}
     * @param locks the certificates' locks: an entry whose certificate is being ordered is left alone
     * @param issuers whose solvers remove the entries
     */
    public LeftoverCleaner(CertificateStore store, LockProvider locks, Issuers issuers) {
        this.store = store;
        this.locks = locks;
        this.issuers = issuers;
    }

    /**
     * Hands each recorded entry to the configured solver with its {@link Solver#solverId()} and
     * forgets it once removed. Entries whose solver is not configured, whose certificate is locked,
     * or whose removal fails stay for a later call.
     *
     * @return how many entries were removed
     * @throws StoreException when the store cannot be read
     * @throws InterruptedException when interrupted while waiting for a lock
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used inside it
    public int cleanUp() throws StoreException, InterruptedException {
        if (!(store instanceof CleanupJournal journal)) {
            LOG.debug("No leftovers to clean up: {} keeps no cleanup journal", store.getClass().getSimpleName());
            return 0;
        }
        int removed = 0;
        for (PendingCleanup p : journal.pendingCleanups()) {
            Optional<Solver> solver = issuers.allSolvers().stream().map(SolverSet.Entry::solver)
                    .filter(s -> s.solverId().equals(p.solverId())).findFirst();
            if (solver.isEmpty()) {
                LOG.warn("A challenge of {} presented by solver {} is still to be cleaned up, but no configured solver has "
                        + "that id; it stays recorded", p.certificateId(), p.solverId());
                continue;
            }
            LockProvider.Lock lock;
            try {
                lock = locks.acquire(IssuanceEngine.lockName(p.certificateId()), Duration.ofSeconds(1));
            } catch (AutocertException e) {
                LOG.info("{} is being ordered by another manager, which cleans up its own challenges ({})",
                        p.certificateId(), Messages.describe(e));
                continue;
            }
            try (lock) {
                if (!journal.pendingCleanups().contains(p)) {
                    continue; // its own manager finished meanwhile
                }
                removed += remove(journal, solver.get(), p);
            }
        }
        return removed;
    }

    /**
     * Removes what is journalled for one certificate whose lock the caller holds: it was left by a manager
     * that no longer holds that lock (dead, or its Lease lapsed). So a leftover skipped at start-up because
     * the dead holder's Lease had not expired yet goes before the certificate is ordered again. A failure
     * is logged; the entry stays for a later call.
     *
     * @param certificateId the certificate's {@code namespace/name}, whose lock the caller holds
     */
    public void cleanUpLocked(String certificateId) {
        if (!(store instanceof CleanupJournal journal)) {
            return;
        }
        try {
            for (PendingCleanup p : journal.pendingCleanups()) {
                if (!p.certificateId().equals(certificateId)) {
                    continue;
                }
                Optional<Solver> solver = issuers.allSolvers().stream().map(SolverSet.Entry::solver)
                        .filter(s -> s.solverId().equals(p.solverId())).findFirst();
                if (solver.isPresent()) {
                    remove(journal, solver.get(), p);
                }
            }
        } catch (StoreException e) {
            LOG.warn("{}: could not read the challenges left behind by earlier processes: {}", certificateId,
                    Messages.describe(e));
        }
    }

    /** @return 1 when removed, 0 when the solver failed (logged; the entry stays) */
    private static int remove(CleanupJournal journal, Solver solver, PendingCleanup p) throws StoreException {
        try {
            solver.cleanUp(p.handle());
            journal.removePendingCleanup(p);
            LOG.info("{}: removed a challenge left behind by an earlier process ({})", p.certificateId(), p.solverId());
            return 1;
        } catch (StoreException e) {
            throw e;
        } catch (AutocertException | RuntimeException e) {
            LOG.warn("{}: could not clean up a challenge left behind by an earlier process ({}): {}",
                    p.certificateId(), p.solverId(), Messages.describe(e));
            return 0;
        }
    }

    /**
     * Runs {@link #cleanUp()} on the first call only; a store that cannot be read is logged.
     *
     * @throws InterruptedException when interrupted while waiting for a lock
     */
    public void cleanUpOnce() throws InterruptedException {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        try {
            cleanUp();
        } catch (StoreException e) {
            LOG.warn("Could not read the challenges left behind by earlier processes: {}", Messages.describe(e));
        }
    }
}
