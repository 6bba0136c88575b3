package dev.autocert4j.internal.engine;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.internal.tls.SniKeyManager;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps managed certificates valid: the {@link RenewalScheduler}'s task looks at one certificate,
 * serves what is stored, issues when due (unless the backoff holds it back), and says when to look
 * again. Thread-safe.
 */
public final class BackgroundRenewal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRenewal.class);

    private final Clock clock;
    private final IssuanceEngine engine;
    private final RenewalPlanner planner;
    private final BackoffPolicy backoff;
    private final LeftoverCleaner cleaner;
    private final SniKeyManager keyManager;
    /** Certificates kept valid in the background, by id. */
    private final ConcurrentHashMap<String, Certificate> managed = new ConcurrentHashMap<>();
    private final RenewalScheduler scheduler;

    /**
     * @param clock the time source
     * @param engine issues
     * @param planner says when to renew
     * @param backoff says when a failed certificate is tried again
     * @param cleaner cleans up leftovers before the first issuance
     * @param keyManager serves every revision
     * @param concurrency how many certificates are issued at once
     */
    public BackgroundRenewal(Clock clock, IssuanceEngine engine, RenewalPlanner planner, BackoffPolicy backoff,
            LeftoverCleaner cleaner, SniKeyManager keyManager, int concurrency) {
        this.clock = clock;
        this.engine = engine;
        this.planner = planner;
        this.backoff = backoff;
        this.cleaner = cleaner;
        this.keyManager = keyManager;
        this.scheduler = new RenewalScheduler(clock, this::maintain, concurrency);
    }

    /**
     * Manages a certificate, replacing its earlier spec; a new or changed spec is looked at at once.
     *
     * @param certificate the certificate
     * @throws IllegalStateException when closed
     */
    public void manage(Certificate certificate) {
        if (scheduler.isClosed()) {
            throw new IllegalStateException("this manager was closed: build a new one to manage " + certificate.id());
        }
        Certificate previous = managed.put(certificate.id(), certificate);
        if (previous == null || !previous.equals(certificate)) {
            scheduler.schedule(certificate.id(), clock.instant());
        }
    }

    /** @param certificate a certificate to stop managing and serving */
    public void unmanage(Certificate certificate) {
        if (managed.remove(certificate.id()) != null) {
            scheduler.cancel(certificate.id());
            keyManager.remove(certificate.id());
        }
    }

    /**
     * @param certificate a certificate
     * @return whether it is managed
     */
    public boolean isManaged(Certificate certificate) {
        return managed.containsKey(certificate.id());
    }

    /**
     * @param certificateId a certificate's {@code namespace/name}
     * @return whether it is managed
     */
    public boolean isManaged(String certificateId) {
        return managed.containsKey(certificateId);
    }

    /** @return the managed certificates */
    public List<Certificate> managed() {
        return List.copyOf(managed.values());
    }

    /**
     * @param certificate a certificate
     * @return when it is looked at next; null when it is not managed or being worked on
     */
    public Instant nextCheck(Certificate certificate) {
        return scheduler.nextRun(certificate.id());
    }

    /** Starts the scheduler thread and pool; idempotent. */
    public void start() {
        scheduler.start();
    }

    /** @return how many certificates were due and looked at on the calling thread */
    public int runDue() {
        return scheduler.runDue().size();
    }

    @Override
    public void close() {
        scheduler.close();
    }

    /** The scheduler's task: brings one managed certificate up to date and says when to look again. */
    private Instant maintain(String id) {
        Certificate spec = managed.get(id);
        Instant now = clock.instant();
        if (spec == null) {
            return now.plus(Duration.ofDays(1)); // unmanaged meanwhile; the scheduler drops it
        }
        try {
            cleaner.cleanUpOnce();
            Optional<StoredCertificate> stored = engine.load(spec);
            if (stored.isPresent()) {
                keyManager.put(spec, stored.get());
                planner.askRenewalWindow(spec, stored.get(), now);
                if (planner.isUsable(spec, stored.get())) {
                    engine.syncDerivedOutputs(spec, stored.get());
                    return planner.nextCheck(spec, stored.get(), now);
                }
            }
            Optional<IssuanceFailures> failures = backoff.holdingBack(spec, now);
            if (failures.isPresent()) {
                return failures.get().nextAttempt();
            }
            StoredCertificate issued = engine.obtainLocked(spec, true, null);
            keyManager.put(spec, issued);
            planner.askRenewalWindow(spec, issued, clock.instant());
            return planner.nextCheck(spec, issued, clock.instant());
        } catch (IssuanceEngine.HeldBack e) {
            return e.failures().nextAttempt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return now.plus(Duration.ofMinutes(1));
        } catch (AutocertException | RuntimeException e) {
            try {
                Optional<IssuanceFailures> failures = backoff.load(spec);
                if (failures.isPresent() && failures.get().nextAttempt().isAfter(now)) {
                    return failures.get().nextAttempt(); // recorded by the failed issuance
                }
            } catch (StoreException inner) {
                e.addSuppressed(inner);
            }
            // Not an issuance failure (the store or a lock): look again soon, without counting it.
            LOG.warn("{}: cannot check the certificate ({}); trying again in a minute", id, Messages.describe(e));
            return now.plus(Duration.ofMinutes(1));
        }
    }
}
