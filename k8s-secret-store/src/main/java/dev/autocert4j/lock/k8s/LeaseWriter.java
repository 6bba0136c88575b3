package dev.autocert4j.lock.k8s;

import dev.autocert4j.AutocertException;
import dev.autocert4j.store.k8s.internal.KubernetesFailures;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lease writes of one holder: take, renew and release, each with the {@code resourceVersion}
 * that was read, re-reading on a conflict (HTTP 409). Decides whether another holder's Lease has
 * expired by client-go's rule (leaderelection): a Lease held by someone else expires when this
 * holder has seen no change to it (holder, {@code renewTime}, {@code resourceVersion}) for its
 * lease duration, counted on this process's monotonic clock from when it first saw the current
 * record. The other holder's {@code renewTime} is never compared with the local wall clock, so
 * clocks minutes apart do not matter. Thread-safe.
 */
final class LeaseWriter {
    /** The provider's category, so that one logger setting covers every Lease message. */
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesLeaseLockProvider.class);
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final int MAX_CONFLICTS = 20;

    private final KubernetesClient client;
    private final String namespace;
    private final String holderIdentity;
    private final Duration leaseDuration;
    private final Clock clock;
    private final LongSupplier nanoTime;
    /** Lease name → the other holder's record as this process last saw it, and since when (monotonic). */
    private final Map<String, Observation> observed = new ConcurrentHashMap<>();

    /**
     * @param clock the wall clock written into {@code acquireTime} and {@code renewTime} (for people reading the Lease)
     * @param nanoTime the monotonic clock that decides expiry, as {@link System#nanoTime()}
     */
    LeaseWriter(KubernetesClient client, String namespace, String holderIdentity, Duration leaseDuration, Clock clock,
            LongSupplier nanoTime) {
        this.client = client;
        this.namespace = namespace;
        this.holderIdentity = holderIdentity;
        this.leaseDuration = leaseDuration;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /**
     * One attempt to take the lock's Lease, retried on write conflicts.
     *
     * @param betweenReadAndWrite runs between each read and its write (a test seam)
     * @return empty when the Lease is now ours, else the identity of its current holder
     */
    Optional<String> take(LeaseLock lock, Runnable betweenReadAndWrite) throws AutocertException {
        for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
            Lease current = get(lock.leaseName);
            Instant now = clock.instant();
            long seenAt = nanoTime.getAsLong();
            betweenReadAndWrite.run();
            try {
                if (current == null) {
                    Lease created = client.leases().inNamespace(namespace).resource(new LeaseBuilder()
                            .withNewMetadata().withName(lock.leaseName).withNamespace(namespace)
                            .withLabels(Map.of(MANAGED_BY, "autocert4j"))
                            .withAnnotations(Map.of(KubernetesLeaseLockProvider.LOCK_NAME_ANNOTATION, lock.name)).endMetadata()
                            .withNewSpec().withHolderIdentity(holderIdentity).withLeaseDurationSeconds(seconds())
                            .withAcquireTime(time(now)).withRenewTime(time(now)).withLeaseTransitions(0).endSpec()
                            .build()).create();
                    lock.renewed(created, seenAt);
                    return Optional.empty();
                }
                LeaseSpec spec = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
                String holder = spec.getHolderIdentity();
                boolean free = holder == null || holder.isEmpty();
                boolean ours = holderIdentity.equals(holder);
                if (!free && !ours) {
                    Optional<Duration> unchangedFor = unchangedLongEnough(lock.leaseName, current, seenAt);
                    if (unchangedFor.isEmpty()) {
                        return Optional.of(holder + " (renewed " + (spec.getRenewTime() == null ? "at an unrecorded time"
                                : spec.getRenewTime()) + ", valid for " + (spec.getLeaseDurationSeconds() == null
                                ? "an unrecorded time, taken as " + seconds() : spec.getLeaseDurationSeconds()) + " s)");
                    }
                    LOG.info("Taking over expired Lease {}/{} of {}: unchanged for {} as seen by {} (lease duration {} s)",
                            namespace, lock.leaseName, holder, unchangedFor.get(), holderIdentity, spec.getLeaseDurationSeconds());
                }
                int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
                Lease updated = client.leases().inNamespace(namespace).resource(new LeaseBuilder(current)
                        .editOrNewSpec().withHolderIdentity(holderIdentity).withLeaseDurationSeconds(seconds())
                        .withAcquireTime(time(now)).withRenewTime(time(now))
                        .withLeaseTransitions(ours ? transitions : transitions + 1).endSpec().build()).update();
                lock.renewed(updated, seenAt);
                observed.remove(lock.leaseName);
                return Optional.empty();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new AutocertException("cannot write Lease " + namespace + "/" + lock.leaseName + " for lock "
                            + lock.name + ": " + KubernetesFailures.describe(e), true, e);
                }
                LOG.debug("Lease {}/{} changed while we took it (409); reading again", namespace, lock.leaseName);
            }
        }
        throw new AutocertException("Lease " + namespace + "/" + lock.leaseName + " kept changing; gave up after "
                + MAX_CONFLICTS + " attempts", true);
    }

    /**
     * Records the other holder's record when it changed (or was never seen) and tells whether it
     * has stayed the same for a whole lease duration since this process first saw it.
     *
     * @return how long it has been unchanged, when that is at least its lease duration
     */
    private Optional<Duration> unchangedLongEnough(String leaseName, Lease current, long now) {
        LeaseSpec spec = current.getSpec();
        String record = current.getMetadata().getResourceVersion() + "|" + spec.getHolderIdentity() + "|"
                + spec.getRenewTime() + "|" + spec.getLeaseDurationSeconds();
        Observation seen = observed.compute(leaseName, (name, previous) ->
                previous != null && previous.record.equals(record) ? previous : new Observation(record, now));
        long duration = spec.getLeaseDurationSeconds() == null || spec.getLeaseDurationSeconds() < 1
                ? leaseDuration.getSeconds() : spec.getLeaseDurationSeconds();
        Duration unchanged = Duration.ofNanos(now - seen.since);
        return unchanged.compareTo(Duration.ofSeconds(duration)) >= 0 ? Optional.of(unchanged) : Optional.empty();
    }

    /** Another holder's Lease record as seen by this process, and when (monotonic nanoseconds) it was first seen. */
    private record Observation(String record, long since) {
    }

    /**
     * Moves the Lease's {@code renewTime} to now. As client-go's fast path, it first writes over our last accepted
     * write, one request whose {@code resourceVersion} proves nobody wrote since; only on a conflict does it read
     * the Lease to see whose it is now.
     *
     * @return false when the Lease is no longer ours (deleted or taken over): the lock is lost
     * @throws AutocertException (retryable) when the API server does not answer or refuses other than with a
     *     conflict; the message says which, the cause is the client's exception
     */
    boolean renew(LeaseLock lock) throws AutocertException {
        Lease last = lock.lastWrite;
        if (last != null && !lock.released.get() && writeRenewal(lock, last)) {
            return true;
        }
        for (int attempt = 1; attempt <= MAX_CONFLICTS && !lock.released.get(); attempt++) {
            Lease current = get(lock.leaseName);
            if (lock.released.get()) {
                return true; // closed meanwhile: the release, not a rival, changed the Lease
            }
            if (current == null || current.getSpec() == null || !holderIdentity.equals(current.getSpec().getHolderIdentity())) {
                LOG.warn("Lost Lease {}/{} for lock {}: it is now held by {}", namespace, lock.leaseName, lock.name,
                        current == null ? "nobody (deleted)" : current.getSpec() == null || current.getSpec().getHolderIdentity() == null
                                ? "nobody (released)" : current.getSpec().getHolderIdentity());
                return false;
            }
            if (writeRenewal(lock, current)) {
                return true;
            }
        }
        return true;
    }

    /** @return whether the API server accepted {@code base} with a new {@code renewTime}; false on a conflict (409) */
    private boolean writeRenewal(LeaseLock lock, Lease base) throws AutocertException {
        long sentAt = nanoTime.getAsLong();
        long previous = lock.sinceLastRenewal();
        try {
            Lease updated = client.leases().inNamespace(namespace).resource(new LeaseBuilder(base)
                    .editOrNewSpec().withRenewTime(time(clock.instant())).endSpec().build()).update();
            lock.renewed(updated, sentAt);
            LOG.debug("Renewed Lease {}/{} {} ms after our previous accepted write; answered in {} ms", namespace,
                    lock.leaseName, previous / 1_000_000, (nanoTime.getAsLong() - sentAt) / 1_000_000);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw new AutocertException("cannot renew Lease " + namespace + "/" + lock.leaseName + " for lock "
                        + lock.name + ": " + KubernetesFailures.describe(e), true, e);
            }
            LOG.debug("Lease {}/{} changed since our last write (409); reading it", namespace, lock.leaseName);
            return false;
        }
    }

    /** Clears the holder of a Lease that is still ours; a failure only logs (the Lease then expires). */
    void release(LeaseLock lock) {
        for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
            try {
                Lease current = client.leases().inNamespace(namespace).withName(lock.leaseName).get();
                if (current == null || current.getSpec() == null || !holderIdentity.equals(current.getSpec().getHolderIdentity())) {
                    LOG.debug("Lease {}/{} is no longer ours; nothing to release", namespace, lock.leaseName);
                    return;
                }
                client.leases().inNamespace(namespace).resource(new LeaseBuilder(current).editSpec()
                        .withHolderIdentity(null).withRenewTime(time(clock.instant())).endSpec().build()).update();
                LOG.debug("Released Lease {}/{} for lock {}", namespace, lock.leaseName, lock.name);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    LOG.warn("Could not release Lease {}/{} for lock {} ({}); it expires after {}", namespace,
                            lock.leaseName, lock.name, KubernetesFailures.describe(e), leaseDuration);
                    return;
                }
            }
        }
        LOG.warn("Lease {}/{} kept changing while releasing it; it expires after {}", namespace, lock.leaseName, leaseDuration);
    }

    private Lease get(String leaseName) throws AutocertException {
        try {
            return client.leases().inNamespace(namespace).withName(leaseName).get();
        } catch (KubernetesClientException e) {
            throw new AutocertException("cannot read Lease " + namespace + "/" + leaseName + ": " + KubernetesFailures.describe(e), true, e);
        }
    }

    private int seconds() {
        return (int) leaseDuration.getSeconds();
    }

    private static ZonedDateTime time(Instant instant) {
        // Leases hold MicroTime: microsecond precision.
        return instant.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
    }
}
