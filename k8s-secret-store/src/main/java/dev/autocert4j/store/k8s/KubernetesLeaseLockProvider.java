package dev.autocert4j.store.k8s;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.lock.LockProvider;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locks shared by every process that talks to the same Kubernetes cluster: one
 * {@code coordination.k8s.io/v1} Lease per lock name, in one namespace, so that several replicas
 * of an application order each certificate once.
 *
 * <p>A lock is taken by creating its Lease with this provider's holder identity (HTTP 409: the
 * Lease exists, someone else may hold it), or by updating a Lease that is free, already ours, or
 * expired — its {@code renewTime} (or {@code acquireTime}) plus its {@code leaseDurationSeconds}
 * lies before the provider's clock. Updates carry the {@code resourceVersion} that was read; on a
 * conflict the provider reads again. While a lock is held, one background daemon thread per
 * provider renews its Lease every third of the lease duration, so a crashed holder blocks the
 * others for at most one lease duration. Closing a lock clears the holder (with
 * {@code resourceVersion}); the Lease object itself stays, a few hundred bytes per lock name.
 *
 * <p>Inside one provider, threads exclude each other too. Two providers (or processes) MUST use
 * different holder identities; the default (host name plus a random suffix) is unique per
 * provider instance.
 *
 * <p>The application needs {@code get}, {@code create}, {@code update} and {@code delete} on
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

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesLeaseLockProvider.class);
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern UNSAFE = Pattern.compile("[^a-z0-9-]+");
    private static final int MAX_LEASE_NAME = 63;
    private static final int HASH_HEX = 8;
    private static final int MAX_CONFLICTS = 20;
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final String namespace;
    private final String holderIdentity;
    private final Duration leaseDuration;
    private final Clock clock;
    /** Lease name → the lock held by this provider under it. */
    private final Map<String, HeldLock> held = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor renewer;
    private final AtomicBoolean renewerStarted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Test seam: runs between the read and the write of each acquisition attempt; a no-op in production. */
    volatile Runnable betweenReadAndWrite = () -> { };

    private KubernetesLeaseLockProvider(Builder b) {
        this.client = b.client;
        this.namespace = b.namespace != null ? b.namespace : defaultNamespace(b.client);
        this.holderIdentity = b.holderIdentity != null ? b.holderIdentity : defaultHolderIdentity();
        this.leaseDuration = b.leaseDuration != null ? b.leaseDuration : DEFAULT_LEASE_DURATION;
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
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
     * {@link AutocertException} that names the holder and the Lease.
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
        String leaseName = leaseName(name);
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        Duration pause = FIRST_POLL;
        String lastHolder = "";
        while (true) {
            HeldLock candidate = new HeldLock(name, leaseName);
            if (held.putIfAbsent(leaseName, candidate) != null) {
                lastHolder = holderIdentity + " (another thread of this process)";
            } else {
                boolean acquired = false;
                try {
                    Optional<String> otherHolder = tryAcquire(candidate);
                    if (otherHolder.isEmpty()) {
                        acquired = true;
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
     * One attempt, retried on write conflicts.
     *
     * @return empty when the Lease is now ours, else the identity of its current holder
     */
    private Optional<String> tryAcquire(HeldLock lock) throws AutocertException {
        for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
            Lease current = get(lock.leaseName);
            Instant now = clock.instant();
            betweenReadAndWrite.run();
            try {
                if (current == null) {
                    Lease created = client.leases().inNamespace(namespace).resource(new LeaseBuilder()
                            .withNewMetadata().withName(lock.leaseName).withNamespace(namespace)
                            .withLabels(Map.of(MANAGED_BY, "autocert4j"))
                            .withAnnotations(Map.of(LOCK_NAME_ANNOTATION, lock.name)).endMetadata()
                            .withNewSpec().withHolderIdentity(holderIdentity).withLeaseDurationSeconds(seconds())
                            .withAcquireTime(time(now)).withRenewTime(time(now)).withLeaseTransitions(0).endSpec()
                            .build()).create();
                    lock.resourceVersion = created.getMetadata().getResourceVersion();
                    return Optional.empty();
                }
                LeaseSpec spec = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
                String holder = spec.getHolderIdentity();
                boolean free = holder == null || holder.isEmpty();
                boolean ours = holderIdentity.equals(holder);
                if (!free && !ours && !expired(spec, now)) {
                    return Optional.of(holder + " (renewed " + spec.getRenewTime() + ", valid for "
                            + spec.getLeaseDurationSeconds() + " s)");
                }
                if (!free && !ours) {
                    LOG.info("Taking over expired Lease {}/{} of {} (renewed {}, {} s)", namespace, lock.leaseName, holder,
                            spec.getRenewTime(), spec.getLeaseDurationSeconds());
                }
                int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
                Lease updated = client.leases().inNamespace(namespace).resource(new LeaseBuilder(current)
                        .editOrNewSpec().withHolderIdentity(holderIdentity).withLeaseDurationSeconds(seconds())
                        .withAcquireTime(time(now)).withRenewTime(time(now))
                        .withLeaseTransitions(ours ? transitions : transitions + 1).endSpec().build()).update();
                lock.resourceVersion = updated.getMetadata().getResourceVersion();
                return Optional.empty();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new AutocertException("cannot write Lease " + namespace + "/" + lock.leaseName + " for lock "
                            + lock.name + ": HTTP " + e.getCode(), true, null);
                }
                LOG.debug("Lease {}/{} changed while we took it (409); reading again", namespace, lock.leaseName);
            }
        }
        throw new AutocertException("Lease " + namespace + "/" + lock.leaseName + " kept changing; gave up after "
                + MAX_CONFLICTS + " attempts", true);
    }

    private boolean expired(LeaseSpec spec, Instant now) {
        ZonedDateTime last = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
        if (last == null) {
            return true;
        }
        long duration = spec.getLeaseDurationSeconds() == null ? leaseDuration.getSeconds() : spec.getLeaseDurationSeconds();
        return last.toInstant().plusSeconds(duration).isBefore(now);
    }

    private void startRenewer() {
        if (renewerStarted.compareAndSet(false, true)) {
            long period = Math.max(1, leaseDuration.toMillis() / 3);
            renewer.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** One renewal round over every held lock; the renewal thread runs it every third of the lease duration. */
    void renewAll() {
        for (HeldLock lock : held.values()) {
            if (lock.resourceVersion == null || lock.released.get()) {
                continue; // being acquired or released right now
            }
            try {
                renew(lock);
            } catch (RuntimeException e) {
                LOG.warn("Could not renew Lease {}/{} for lock {}: {}; trying again in {}", namespace, lock.leaseName,
                        lock.name, e.toString(), leaseDuration.dividedBy(3));
            }
        }
    }

    private void renew(HeldLock lock) {
        for (int attempt = 1; attempt <= MAX_CONFLICTS && !lock.released.get(); attempt++) {
            Lease current = client.leases().inNamespace(namespace).withName(lock.leaseName).get();
            if (lock.released.get()) {
                return; // closed meanwhile: the release, not a rival, changed the Lease
            }
            if (current == null || current.getSpec() == null || !holderIdentity.equals(current.getSpec().getHolderIdentity())) {
                LOG.warn("Lost Lease {}/{} for lock {}: it is now held by {}", namespace, lock.leaseName, lock.name,
                        current == null || current.getSpec() == null ? "nobody (deleted)" : current.getSpec().getHolderIdentity());
                held.remove(lock.leaseName, lock);
                return;
            }
            try {
                Lease updated = client.leases().inNamespace(namespace).resource(new LeaseBuilder(current)
                        .editSpec().withRenewTime(time(clock.instant())).endSpec().build()).update();
                lock.resourceVersion = updated.getMetadata().getResourceVersion();
                LOG.debug("Renewed Lease {}/{}", namespace, lock.leaseName);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    private void release(HeldLock lock) {
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
                    LOG.warn("Could not release Lease {}/{} for lock {} (HTTP {}); it expires after {}", namespace,
                            lock.leaseName, lock.name, e.getCode(), leaseDuration);
                    return;
                }
            }
        }
        LOG.warn("Lease {}/{} kept changing while releasing it; it expires after {}", namespace, lock.leaseName, leaseDuration);
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
        for (HeldLock lock : held.values()) {
            lock.close();
        }
        renewer.shutdownNow();
    }

    /**
     * @param lockName a lock name
     * @return the name of its Lease: {@value #LEASE_NAME_PREFIX} plus the lock name in lower case
     *     with runs of characters other than letters, digits and {@code -} replaced by one {@code -},
     *     shortened to keep the whole within 63 characters, plus, unless the lock name was already
     *     such a name, {@code -} and 8 hex digits of its SHA-256, so that names differing only in
     *     replaced characters stay apart
     */
    static String leaseName(String lockName) {
        String readable = UNSAFE.matcher(lockName.toLowerCase(Locale.ROOT)).replaceAll("-");
        if (readable.equals(lockName) && DNS1123_LABEL.matcher(readable).matches()
                && LEASE_NAME_PREFIX.length() + readable.length() <= MAX_LEASE_NAME) {
            return LEASE_NAME_PREFIX + readable;
        }
        int room = MAX_LEASE_NAME - LEASE_NAME_PREFIX.length() - 1 - HASH_HEX;
        if (readable.length() > room) {
            readable = readable.substring(0, room);
        }
        readable = readable.replaceAll("^-+|-+$", "");
        return LEASE_NAME_PREFIX + (readable.isEmpty() ? "" : readable + "-") + shortHash(lockName);
    }

    private static String shortHash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, HASH_HEX / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private Lease get(String leaseName) throws AutocertException {
        try {
            return client.leases().inNamespace(namespace).withName(leaseName).get();
        } catch (KubernetesClientException e) {
            throw new AutocertException("cannot read Lease " + namespace + "/" + leaseName + ": HTTP " + e.getCode(), true, null);
        }
    }

    private int seconds() {
        return (int) leaseDuration.getSeconds();
    }

    private static ZonedDateTime time(Instant instant) {
        // Leases hold MicroTime: microsecond precision.
        return instant.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
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

    /** A lock held through one Lease. */
    private final class HeldLock implements Lock {
        final String name;
        final String leaseName;
        final AtomicBoolean released = new AtomicBoolean();
        volatile String resourceVersion;

        HeldLock(String name, String leaseName) {
            this.name = name;
            this.leaseName = leaseName;
        }

        @Override
        public void close() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            try {
                release(this);
            } finally {
                held.remove(leaseName, this);
            }
        }

        @Override
        public String toString() {
            return "Lease " + namespace + "/" + leaseName + " for lock " + name;
        }
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
            if (namespace.length() > 63 || !DNS1123_LABEL.matcher(namespace).matches()) {
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
         *     least 1 s; held Leases are renewed every third of it. 60 s if unset.
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
         * @param clock the time written into Leases and used to decide whether another holder's
         *     Lease has expired; UTC system clock if unset
         * @return this builder
         */
        public Builder clock(Clock clock) {
            once(this.clock, "clock");
            this.clock = requireNonNull(clock, "clock");
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
