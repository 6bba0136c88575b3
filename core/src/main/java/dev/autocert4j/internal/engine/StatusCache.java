package dev.autocert4j.internal.engine;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Statuses for callers that ask often (health checks, metric scrapes): what the store held is kept per certificate
 * and the status is computed from it with the clock, so a read touches no store. A kept state is dropped on every
 * event of its certificate (this manager's issuance, renewal, failure, revocation change the store before their
 * event), and read again once a time it depends on has passed: the renewal time, the expiry, the start of
 * validity, the next attempt after a failure, and the manager's next check of the certificate (where it may pick
 * up what another manager sharing the store issued, without an event). A state with no such time ahead is not
 * kept. Thread-safe.
 */
public final class StatusCache {
    private final Clock clock;
    private final StatusReporter reporter;
    private final RenewalPlanner planner;
    private final BackgroundRenewal background;
    /** By certificate id; guarded by {@code this}. */
    private final Map<String, Kept> kept = new HashMap<>();
    /** Counts invalidations, so that a read that raced with an event does not keep what it read before it. */
    private long generation;

    private record Kept(String secretName, StatusReporter.StoredState state, Instant until) {
    }

    /**
     * @param clock the manager's time source
     * @param reporter reads the store and computes statuses
     * @param planner knows the renewal times
     * @param background knows which certificates are managed and when each is looked at next
     */
    public StatusCache(Clock clock, StatusReporter reporter, RenewalPlanner planner, BackgroundRenewal background) {
        this.clock = clock;
        this.reporter = reporter;
        this.planner = planner;
        this.background = background;
    }

    /**
     * @param certificate the certificate
     * @return its status now; reads the store only when nothing current is kept for it
     * @throws StoreException when the store had to be read and could not be
     */
    public CertificateStatus status(Certificate certificate) throws StoreException {
        Instant now = clock.instant();
        Kept current;
        long readAt;
        synchronized (this) {
            current = kept.get(certificate.id());
            readAt = generation;
        }
        if (current != null && current.secretName().equals(certificate.secretName()) && now.isBefore(current.until())) {
            return reporter.status(certificate, current.state());
        }
        StatusReporter.StoredState state = reporter.read(certificate);
        Optional<Instant> until = keptUntil(certificate, state, now);
        synchronized (this) {
            if (until.isPresent() && readAt == generation) {
                kept.put(certificate.id(), new Kept(certificate.secretName(), state, until.get()));
            } else {
                kept.remove(certificate.id());
            }
        }
        return reporter.status(certificate, state);
    }

    /**
     * Drops what is kept for the event's certificate: the event follows a change of the store.
     *
     * @param event an event of this manager
     */
    public synchronized void forget(CertificateEvent event) {
        kept.remove(event.certificateId());
        generation++;
    }

    /** The first time after {@code now} at which the status computed from {@code state} may change by itself. */
    private Optional<Instant> keptUntil(Certificate certificate, StatusReporter.StoredState state, Instant now) {
        Optional<StoredCertificate> stored = state.stored();
        Instant nextCheck = background.nextCheck(certificate);
        return Stream.of(stored.map(StoredCertificate::notAfter),
                        stored.map(s -> s.notBefore().minus(Duration.ofMinutes(5))),
                        stored.map(s -> planner.renewalTime(certificate, s)),
                        state.failures().map(IssuanceFailures::nextAttempt),
                        Optional.ofNullable(nextCheck))
                .flatMap(Optional::stream)
                .filter(now::isBefore)
                .min(Instant::compareTo)
                // Managed but without a next check: being worked on, and its outcome may come without an event.
                .filter(until -> nextCheck != null || !background.isManaged(certificate));
    }
}
