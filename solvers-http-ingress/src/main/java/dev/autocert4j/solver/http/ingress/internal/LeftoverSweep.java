package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the routes a dead process left although no cleanup handle of them was journalled (it died
 * between creating a route and writing the journal): the solver's labelled temporary Ingresses and
 * its challenge rules in the existing Ingress, by label, name and challenge path. A route counts as
 * left over when it was presented longer ago than the leftover age, longer than any order lives, so
 * that a live route of another replica is never taken. Runs on first use and then at most once a
 * minute. Thread-safe.
 */
public final class LeftoverSweep {
    /** The solver's category, so that one logger setting covers every solver message. */
    private static final Logger LOG = LoggerFactory.getLogger(IngressHttp01Solver.class);
    /** The least time between two sweeps (each lists the namespace's Ingresses); the README states it. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final TemporaryIngresses temporary;
    private final ExistingIngressRoutes existing;
    private final String namespace;
    private final String existingIngress;
    private final Clock clock;
    private final Duration leftoverAge;
    private final AtomicReference<Instant> last = new AtomicReference<>();

    /**
     * @param temporary the solver's temporary Ingresses
     * @param existing the editor of the existing Ingress
     * @param namespace the solver's namespace
     * @param existingIngress the existing Ingress the solver edits, or null when it makes temporary ones
     * @param clock the solver's clock
     * @param leftoverAge how old a route must be to count as left over
     */
    public LeftoverSweep(TemporaryIngresses temporary, ExistingIngressRoutes existing, String namespace, String existingIngress,
            Clock clock, Duration leftoverAge) {
        this.temporary = temporary;
        this.existing = existing;
        this.namespace = namespace;
        this.existingIngress = existingIngress;
        this.clock = clock;
        this.leftoverAge = leftoverAge;
    }

    /**
     * Removes the routes presented before the cutoff.
     *
     * @param cutoff routes presented before this are removed; {@link Instant#MAX} for all
     * @return how many Ingresses and rules were removed
     * @throws SolverException when the API server refuses
     */
    public int sweep(Instant cutoff) throws SolverException {
        int removed = temporary.sweep(cutoff);
        if (existingIngress != null) {
            removed += existing.sweep(namespace, existingIngress, cutoff);
        }
        return removed;
    }

    /** Removes the leftovers on first use, and again when a minute has passed since; a failure is logged, not thrown. */
    public void sweepIfDue() {
        Instant now = clock.instant();
        Instant previous = last.get();
        if (previous != null && now.isBefore(previous.plus(INTERVAL)) || !last.compareAndSet(previous, now)) {
            return;
        }
        try {
            int removed = sweep(now.minus(leftoverAge));
            if (removed > 0) {
                LOG.info("Removed {} challenge route(s) that a dead process left in namespace {} without journalling them",
                        removed, namespace);
            }
        } catch (SolverException | RuntimeException e) {
            LOG.warn("Could not look for challenge routes a dead process left in namespace {}: {}", namespace, IngressObjects.describe(e));
        }
    }
}
