package dev.autocert4j.lock.k8s;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locks shared by every process that talks to the same Kubernetes cluster: one
 * {@code coordination.k8s.io/v1} Lease per lock name, in one namespace, so that several replicas
 * of an application order each certificate once.
 *
 * <p>A lock is taken by creating its Lease with this provider's holder identity (HTTP 409: the
 * Lease exists, someone else may hold it), or by updating a Lease that is free, already ours, or
 * expired. Expiry follows client-go's leader election: another holder's Lease counts as expired
 * only when this provider has seen no change to it (holder, {@code renewTime},
 * {@code resourceVersion}) for its {@code leaseDurationSeconds}, measured on this process's
 * monotonic clock from when it first saw the current record. The holder's {@code renewTime} is
 * never compared with the local wall clock, so replicas whose clocks are minutes apart still
 * exclude each other. Updates carry the {@code resourceVersion} that was read; on a conflict the
 * provider reads again.
 *
 * <p>While a lock is held, one background daemon thread per provider renews its Lease every sixth
 * of the lease duration (the next round starts a sixth after the previous one ended), so a crashed
 * holder blocks the others for about one lease duration after they noticed. As client-go's leader
 * election does, a renewal writes over the holder's own last accepted write in one request (a read
 * only after a conflict), and one that failed is tried again at the next round: a holder whose
 * requests are slow (a starved CPU, a busy API server) keeps its Lease while each write is answered
 * well within a third of the lease duration (a quarter is tested); a take answered late is renewed
 * once before the lock is handed out. A holder that could not renew within its renew deadline (five
 * sixths of the lease duration after its last accepted write was sent) stops renewing, logs a warning and
 * reports the lock lost through {@link Lock#isHeld()} — before any other provider can take it —
 * and the certificate manager then saves nothing it ordered under that lock. Closing a lock
 * clears the holder (with {@code resourceVersion}) unless the lock was lost; the Lease object
 * itself stays, a few hundred bytes per lock name.
 *
 * <p>Inside one provider, threads exclude each other too. Two providers (or processes) MUST use
 * different holder identities; the default (host name plus a random suffix) is unique per
 * provider instance.
 *
 * <p>The application needs {@code get}, {@code create} and {@code update} on
 * {@code leases} in the group {@code coordination.k8s.io} in the provider's namespace.
 *
 * <p>Thread-safe. {@link #close()} releases every lock still held and stops the renewal thread.
 */
public final class KubernetesLeaseLockProvider implements LockProvider, AutoCloseable {
    /** The lease duration unless set: a crashed holder blocks the lock for at most this long. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(60);
    /** Prefix of every Lease name this provider creates. */
    public static final String LEASE_NAME_PREFIX = "autocert4j-";
    /** Annotation on each Lease holding the exact lock name. */
    public static final String LOCK_NAME_ANNOTATION = KubernetesSecretStore.PREFIX + "lock-name";

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesLeaseLockProvider.class);
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final String namespace;
    private final String holderIdentity;
    private final Duration leaseDuration;
    /** Lease name → the lock held by this provider under it. */
    private final Map<String, LeaseLock> held = new ConcurrentHashMap<>();
    private final LeaseWriter writer;
    private final ScheduledThreadPoolExecutor renewer;
    private final AtomicBoolean renewerStarted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongSupplier nanoTime;
    private final long renewDeadlineNanos;
    /** Test seam: runs between the read and the write of each acquisition attempt; a no-op in production. */
    volatile Runnable betweenReadAndWrite = () -> { };
    /** Test seam: runs on the renewal thread before each renewal round (a test blocks it to pause renewals). */
    volatile Runnable beforeRenewalRound = () -> { };

    private KubernetesLeaseLockProvider(Builder b) {
        this.namespace = b.namespace != null ? b.namespace : defaultNamespace(b.client);
        this.holderIdentity = b.holderIdentity != null ? b.holderIdentity : defaultHolderIdentity();
        this.leaseDuration = b.leaseDuration != null ? b.leaseDuration : DEFAULT_LEASE_DURATION;
        this.nanoTime = b.nanoTime != null ? b.nanoTime : System::nanoTime;
        this.renewDeadlineNanos = leaseDuration.minus(leaseDuration.dividedBy(6)).toNanos();
        this.writer = new LeaseWriter(b.client, namespace, holderIdentity, leaseDuration,
                b.clock != null ? b.clock : Clock.systemUTC(), nanoTime);
        this.renewer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "autocert4j-lease-renewer");
            t.setDaemon(true);
            return t;
        });
        renewer.setRemoveOnCancelPolicy(true);
    }

    /**
     * @param client the client to talk to the API server with; the caller keeps and closes it
     * @return a builder for a provider using that client
     */
    public static Builder builder(KubernetesClient client) {
        return new Builder(requireNonNull(client, "client"));
    }

    /** @return the namespace that holds the Leases */
    public String namespace() {
        return namespace;
    }

    /** @return the identity written into {@code holderIdentity} of the Leases this provider holds */
    public String holderIdentity() {
        return holderIdentity;
    }

    /** @return how long a Lease stays valid without renewal */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    /**
     * {@inheritDoc}
     *
     * <p>While another holder has the Lease, polls it with a growing pause (50 ms up to 1 s) until
     * it is released or expires, or the timeout has passed; then throws a retryable
     * {@link AutocertException} that names the holder and the Lease. A take the API server answered
     * a sixth of the lease duration or more after it was sent is renewed before the lock is returned;
     * when no write is answered within the renew deadline, no lock is returned either: a retryable
     * {@link AutocertException} says so.
     *
     * @throws IllegalStateException when this provider was closed
     */
    @Override
    public Lock acquire(String name, Duration timeout) throws AutocertException, InterruptedException {
        requireNonNull(name, "name");
        requireNonNull(timeout, "timeout");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("lock name must not be empty");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        if (closed.get()) {
            throw new IllegalStateException("this KubernetesLeaseLockProvider was closed; build a new one");
        }
        String leaseName = LeaseNames.leaseName(name);
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        Duration pause = FIRST_POLL;
        String lastHolder = "";
        while (true) {
            LeaseLock candidate = new LeaseLock(name, leaseName, namespace, renewDeadlineNanos, nanoTime, this::release);
            if (held.putIfAbsent(leaseName, candidate) != null) {
                lastHolder = holderIdentity + " (another thread of this process)";
            } else {
                boolean acquired = false;
                try {
                    Optional<String> otherHolder = writer.take(candidate, betweenReadAndWrite);
                    if (otherHolder.isEmpty()) {
                        catchUp(candidate);
                        acquired = true;
                        candidate.taking = false;
                        startRenewer();
                        LOG.debug("Took Lease {}/{} for lock {} as {}", namespace, leaseName, name, holderIdentity);
                        return candidate;
                    }
                    lastHolder = otherHolder.get();
                } finally {
                    if (!acquired) {
                        held.remove(leaseName, candidate);
                    }
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new AutocertException("lock " + name + " (Lease " + namespace + "/" + leaseName + ") is held by "
                        + lastHolder + "; gave up after waiting " + timeout, true);
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(remaining, pause.toNanos()));
            pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
        }
    }

    /**
     * A take answered late (a cold client, a starved CPU, a busy API server) leaves the caller less than the
     * renew deadline: renew once before handing the lock out, rather than let the caller start work (an ACME order)
     * under a lock about to be reported lost. An accepted renewal proves nobody wrote the Lease since our take.
     *
     * @throws AutocertException (retryable) when the lock is past its renew deadline even so
     */
    private void catchUp(LeaseLock lock) throws AutocertException {
        if (lock.sinceLastRenewal() < renewalPeriod(leaseDuration).toNanos()) {
            return;
        }
        Duration late = Duration.ofNanos(lock.sinceLastRenewal());
        String took = "took Lease " + namespace + "/" + lock.leaseName + " for lock " + lock.name + ", answered " + late
                + " after our write was sent, ";
        boolean stillOurs = true;
        try {
            stillOurs = writer.renew(lock);
        } catch (AutocertException e) {
            LOG.debug("Could not renew Lease {}/{} right after taking it: {}", namespace, lock.leaseName, e.getMessage());
        }
        if (!stillOurs) {
            lock.lost.set(true);
            throw new AutocertException(took + "but another holder took it over meanwhile", true);
        }
        if (lock.checkLost()) {
            throw new AutocertException(took + "and no renewal was answered within the renew deadline ("
                    + Duration.ofNanos(renewDeadlineNanos) + "); not handing out a lock about to be reported lost. "
                    + "A longer leaseDuration tolerates a slower API server", true);
        }
        LOG.debug("Renewed Lease {}/{} right after taking it: the take was answered {} after it was sent", namespace,
                lock.leaseName, late);
    }

    private void startRenewer() {
        if (renewerStarted.compareAndSet(false, true)) {
            long period = renewalPeriod(leaseDuration).toMillis();
            renewer.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A sixth of the lease duration (at least a millisecond). With the renew deadline at five sixths, a holder
     * keeps its lock while each write is answered within a third of the lease duration (the next one is sent a
     * sixth after the answer), and an attempt that failed is followed by three more before the deadline.
     */
    static Duration renewalPeriod(Duration leaseDuration) {
        return Duration.ofMillis(Math.max(1, leaseDuration.toMillis() / 6));
    }

    /** One renewal round over every held lock; the renewal thread runs it a sixth of the lease duration after the last. */
    void renewAll() {
        beforeRenewalRound.run();
        for (LeaseLock lock : held.values()) {
            if (lock.taking || lock.released.get()) {
                continue; // being taken or released right now
            }
            if (lock.checkLost()) {
                // Too late: another provider may take it any moment, so a renewal now could overlap its work.
                LOG.warn("Lost Lease {}/{} for lock {}: not renewed for {} (renew deadline {}); stopped renewing it, "
                        + "and work done under it will not be saved", namespace, lock.leaseName, lock.name,
                        Duration.ofNanos(lock.sinceLastRenewal()), Duration.ofNanos(renewDeadlineNanos));
                held.remove(lock.leaseName, lock);
                continue;
            }
            try {
                if (!writer.renew(lock)) {
                    lock.lost.set(true);
                    held.remove(lock.leaseName, lock);
                }
            } catch (AutocertException e) {
                LOG.warn("{}; trying again in {}", e.getMessage(), renewalPeriod(leaseDuration));
            } catch (RuntimeException e) {
                LOG.warn("Could not renew Lease {}/{} for lock {}: {}; trying again in {}", namespace, lock.leaseName,
                        lock.name, e.toString(), renewalPeriod(leaseDuration));
            }
        }
    }

    private void release(LeaseLock lock) {
        try {
            // A lost lock's Lease may be another holder's by now, or this provider's again under a newer lock.
            if (!lock.checkLost()) {
                writer.release(lock);
            }
        } finally {
            held.remove(lock.leaseName, lock);
        }
    }

    /**
     * Releases every lock still held and stops the renewal thread. Idempotent. Locks taken from
     * this provider are released, and {@link #acquire} refuses to take new ones.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (LeaseLock lock : held.values()) {
            lock.close();
        }
        renewer.shutdownNow();
    }

    private static String defaultNamespace(KubernetesClient client) {
        String configured = client.getNamespace();
        return configured == null || configured.isBlank() ? "default" : configured;
    }

    private static String defaultHolderIdentity() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "autocert4j";
            }
        }
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }

    @Override
    public String toString() {
        return "KubernetesLeaseLockProvider[namespace=" + namespace + ", holderIdentity=" + holderIdentity
                + ", leaseDuration=" + leaseDuration + "]";
    }

    /**
     * Builds a {@link KubernetesLeaseLockProvider}. Each setter checks its argument at once and may
     * be called once. Not thread-safe.
     */
    public static final class Builder {
        private final KubernetesClient client;
        private String namespace;
        private String holderIdentity;
        private Duration leaseDuration;
        private Clock clock;
        private LongSupplier nanoTime;

        private Builder(KubernetesClient client) {
            this.client = client;
        }

        /**
         * @param namespace the namespace for the Leases, a DNS-1123 label; the client's namespace
         *     (in a pod: the pod's own), or {@code default}, if unset
         * @return this builder
         */
        public Builder namespace(String namespace) {
            once(this.namespace, "namespace");
            requireNonNull(namespace, "namespace");
            if (namespace.length() > 63 || !LeaseNames.DNS1123_LABEL.matcher(namespace).matches()) {
                throw new IllegalArgumentException("namespace must be a DNS-1123 label (lower-case letters, digits and '-', "
                        + "at most 63 characters, starting and ending with a letter or digit), got '" + namespace + "'");
            }
            this.namespace = namespace;
            return this;
        }

        /**
         * @param holderIdentity the identity written into the Leases this provider holds; unique per
         *     provider instance (e.g. the pod name plus a random suffix). Host name plus a random
         *     suffix if unset.
         * @return this builder
         */
        public Builder holderIdentity(String holderIdentity) {
            once(this.holderIdentity, "holderIdentity");
            requireNonNull(holderIdentity, "holderIdentity");
            if (holderIdentity.isBlank() || holderIdentity.length() > 253) {
                throw new IllegalArgumentException("holderIdentity must be 1 to 253 characters, not blank, got '"
                        + holderIdentity + "'");
            }
            this.holderIdentity = holderIdentity;
            return this;
        }

        /**
         * @param leaseDuration how long a Lease stays valid without renewal, in whole seconds, at
         *     least 1 s; held Leases are renewed every sixth of it. 60 s if unset.
         * @return this builder
         */
        public Builder leaseDuration(Duration leaseDuration) {
            once(this.leaseDuration, "leaseDuration");
            requireNonNull(leaseDuration, "leaseDuration");
            if (leaseDuration.getSeconds() < 1 || leaseDuration.getNano() != 0
                    || leaseDuration.getSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("leaseDuration must be a whole number of seconds, at least 1 s, got "
                        + leaseDuration);
            }
            this.leaseDuration = leaseDuration;
            return this;
        }

        /**
         * @param clock the time written into the Leases' {@code acquireTime} and {@code renewTime};
         *     UTC system clock if unset. Expiry never depends on it: it is measured on the
         *     process's monotonic clock.
         * @return this builder
         */
        public Builder clock(Clock clock) {
            once(this.clock, "clock");
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Test seam: the monotonic clock that measures expiry and renew deadlines; {@link System#nanoTime()} if unset. */
        Builder nanoTime(LongSupplier nanoTime) {
            once(this.nanoTime, "nanoTime");
            this.nanoTime = requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** @return a new provider; its renewal thread starts with the first lock taken */
        public KubernetesLeaseLockProvider build() {
            return new KubernetesLeaseLockProvider(this);
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set on this builder: set it once");
            }
        }
    }
}
