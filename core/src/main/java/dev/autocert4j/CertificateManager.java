package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.engine.RenewalScheduler;
import dev.autocert4j.internal.engine.RenewalTimes;
import dev.autocert4j.internal.tls.SniKeyManager;
import dev.autocert4j.internal.x509.Csr;
import dev.autocert4j.internal.x509.KeyPairs;
import dev.autocert4j.internal.x509.Names;
import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.RateLimitedException;
import dev.autocert4j.issuer.RenewalWindow;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.CleanupJournal;
import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.FailureRecords;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: obtains certificates from the configured issuers, proves control with the configured
 * solvers, and keeps the result in the store.
 *
 * <pre>{@code
 * try (Http01Solver http01 = Http01Solver.builder().standalone("0.0.0.0", 80).build()) {
 *     CertificateManager manager = CertificateManager.builder()
 *             .issuer(AcmeIssuer.builder("letsencrypt").letsEncrypt().email("ops@example.com").build())
 *             .solver(http01)
 *             .store(FileCertificateStore.of(Path.of("/var/lib/myapp/certs")))
 *             .build();
 *     StoredCertificate cert = manager.obtain(Certificate.builder("www")
 *             .dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("letsencrypt")).build());
 * }
 * }</pre>
 *
 * <p>Several managers (threads, processes, replicas) may share one store: before ordering, a
 * manager takes the certificate's lock from the {@link LockProvider} and re-reads the store, so a
 * certificate is ordered once and the others pick it up. Thread-safe.
 */
public final class CertificateManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateManager.class);

    private final List<Issuer> issuers;
    private final SolverSet solvers;
    /** Solvers that belong to one issuer, as a cert-manager ACME issuer's {@code solvers}. */
    private final Map<Issuer, SolverSet> issuerSolvers = new IdentityHashMap<>();
    private final CertificateStore store;
    private final LockProvider locks;
    private final Clock clock;
    private final List<CertificateListener> listeners;
    private final Duration lockTimeout;
    private final CertificateListener events = this::dispatch;
    private final AtomicBoolean leftoversCleaned = new AtomicBoolean();
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration renewalInfoInterval;
    /** Certificates kept valid in the background, by id. */
    private final ConcurrentHashMap<String, Certificate> managed = new ConcurrentHashMap<>();
    /** Ids of certificates being issued right now by this manager. */
    private final Set<String> issuing = ConcurrentHashMap.newKeySet();
    /** Failures of stores that do not record them: lost on restart. */
    private final ConcurrentHashMap<String, IssuanceFailures> failuresInMemory = new ConcurrentHashMap<>();
    /** The CA's suggested renewal windows, by certificate serial, with when each was asked. */
    private final ConcurrentHashMap<String, AskedWindow> renewalWindows = new ConcurrentHashMap<>();
    private final SniKeyManager keyManager;
    private final RenewalScheduler scheduler;
    private volatile SSLContext sslContext;

    /** A renewal window (or its absence) as the CA answered at {@code askedAt}. */
    private record AskedWindow(Optional<RenewalWindow> window, Instant askedAt) {
    }

    private CertificateManager(Builder b) {
        this.issuers = List.copyOf(b.issuers);
        this.solvers = new SolverSet(b.solvers);
        b.issuerSolvers.forEach((issuer, entries) -> issuerSolvers.put(issuer, new SolverSet(entries)));
        this.store = b.store;
        this.locks = b.locks == null ? b.store.defaultLockProvider() : b.locks;
        this.clock = b.clock;
        this.listeners = List.copyOf(b.listeners);
        this.lockTimeout = b.lockTimeout;
        this.backoffInitial = b.backoffInitial;
        this.backoffMax = b.backoffMax;
        this.renewalInfoInterval = b.renewalInfoInterval;
        this.keyManager = new SniKeyManager(b.defaultServerName);
        this.scheduler = new RenewalScheduler(clock, this::maintain, b.concurrency);
    }

    /** @return a builder; a store and at least one issuer are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the store this manager keeps certificates in */
    public CertificateStore store() {
        return store;
    }

    /**
     * Returns the stored certificate if it is valid, was issued for this same spec, and is not yet
     * due for renewal; otherwise issues a new one, stores it, and returns it.
     *
     * @param certificate the desired certificate
     * @return the valid stored certificate
     * @throws IllegalArgumentException when no configured issuer or solver can serve the
     *     certificate (nothing is ordered then)
     * @throws AutocertException when issuance or storage fails; the previously stored certificate
     *     is then intact
     * @throws InterruptedException when interrupted while waiting for the CA or a lock
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used inside it
    public StoredCertificate obtain(Certificate certificate) throws AutocertException, InterruptedException {
        requireNonNull(certificate, "certificate");
        if (leftoversCleaned.compareAndSet(false, true)) {
            cleanUpLeftoversQuietly();
        }
        checkIssuers(certificate);
        Optional<StoredCertificate> current = usable(certificate);
        if (current.isPresent()) {
            serve(certificate, current.get());
            return current.get();
        }
        StoredCertificate result = obtainLocked(certificate, false, null);
        serve(certificate, result);
        return result;
    }

    /**
     * Issues a new certificate now, whether or not the stored one is still valid (after a key
     * compromise, say), and stores it. Another manager that renewed it meanwhile counts.
     *
     * @param certificate the certificate
     * @return the new certificate
     * @throws AutocertException when issuance or storage fails; the previous certificate is intact
     * @throws InterruptedException when interrupted
     */
    public StoredCertificate renew(Certificate certificate) throws AutocertException, InterruptedException {
        requireNonNull(certificate, "certificate");
        checkIssuers(certificate);
        String replacedSerial = load(certificate).map(s -> s.leaf().getSerialNumber().toString(16)).orElse(null);
        StoredCertificate result = obtainLocked(certificate, false, replacedSerial == null ? "" : replacedSerial);
        serve(certificate, result);
        return result;
    }

    /** Thrown inside the manager when the backoff holds a background attempt back. */
    private static final class HeldBack extends AutocertException {
        private static final long serialVersionUID = 1L;
        private final transient IssuanceFailures failures;

        HeldBack(IssuanceFailures failures) {
            super("held back until " + failures.nextAttempt(), true);
            this.failures = failures;
        }
    }

    /**
     * Takes the certificate's lock, re-reads the store and issues unless another manager did.
     *
     * @param respectBackoff whether recorded failures hold the attempt back ({@link HeldBack})
     * @param forceReplacing when not null, issue even a usable certificate unless its serial
     *     differs from this one (then another manager renewed it already); "" for none stored
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used inside it
    private StoredCertificate obtainLocked(Certificate certificate, boolean respectBackoff, String forceReplacing)
            throws AutocertException, InterruptedException {
        try (LockProvider.Lock lock = locks.acquire("certificate/" + certificate.id(), lockTimeout)) {
            // Another manager may have issued while we waited for the lock.
            Optional<StoredCertificate> stored = load(certificate);
            if (stored.isPresent() && isUsable(certificate, stored.get())) {
                boolean renewedMeanwhile = forceReplacing != null
                        && !stored.get().leaf().getSerialNumber().toString(16).equals(forceReplacing);
                if (forceReplacing == null || renewedMeanwhile) {
                    LOG.debug("{} was issued by another manager while waiting for the lock", certificate.id());
                    return stored.get();
                }
            }
            if (respectBackoff) {
                Optional<IssuanceFailures> failures = loadFailures(certificate);
                if (failures.isPresent() && failures.get().holdsBack(certificate, clock.instant())) {
                    throw new HeldBack(failures.get());
                }
            }
            return issue(certificate, stored);
        }
    }

    /**
     * Removes what solvers presented in a process that died before it could clean up (DNS-01
     * records, for instance), as recorded in the store: each entry is handed to the configured
     * solver with the same {@link Solver#solverId()}, and forgotten once removed. An entry of a
     * certificate that another manager is ordering right now (its lock is held) is left to that
     * manager. Runs once by itself before the first {@link #obtain}; call it at start-up to clean
     * up at once. Entries whose solver is not configured, or whose removal fails, stay for a later
     * call.
     *
     * @return how many entries were removed
     * @throws StoreException when the store cannot be read
     * @throws InterruptedException when interrupted while waiting for a lock
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used inside it
    public int cleanUpLeftovers() throws StoreException, InterruptedException {
        if (!(store instanceof CleanupJournal journal)) {
            LOG.debug("No leftovers to clean up: {} keeps no cleanup journal", store.getClass().getSimpleName());
            return 0;
        }
        List<PendingCleanup> pending = journal.pendingCleanups();
        int removed = 0;
        for (PendingCleanup p : pending) {
            Optional<Solver> solver = allSolvers().stream().map(SolverSet.Entry::solver)
                    .filter(s -> s.solverId().equals(p.solverId())).findFirst();
            if (solver.isEmpty()) {
                LOG.warn("A challenge of {} presented by solver {} is still to be cleaned up, but no configured solver has "
                        + "that id; it stays recorded", p.certificateId(), p.solverId());
                continue;
            }
            LockProvider.Lock lock;
            try {
                lock = locks.acquire("certificate/" + p.certificateId(), Duration.ofSeconds(1));
            } catch (AutocertException e) {
                LOG.info("{} is being ordered by another manager, which cleans up its own challenges ({})",
                        p.certificateId(), e.getMessage());
                continue;
            }
            try (lock) {
                if (!journal.pendingCleanups().contains(p)) {
                    continue; // its own manager finished meanwhile
                }
                solver.get().cleanUp(p.handle());
                journal.removePendingCleanup(p);
                removed++;
                LOG.info("{}: removed a challenge left behind by an earlier process ({})", p.certificateId(), p.solverId());
            } catch (StoreException e) {
                throw e;
            } catch (AutocertException | RuntimeException e) {
                LOG.warn("{}: could not clean up a challenge left behind by an earlier process ({}): {}",
                        p.certificateId(), p.solverId(), e.getMessage());
            }
        }
        return removed;
    }

    private void cleanUpLeftoversQuietly() throws InterruptedException {
        try {
            cleanUpLeftovers();
        } catch (StoreException e) {
            LOG.warn("Could not read the challenges left behind by earlier processes: {}", e.getMessage());
        }
    }

    /**
     * Loads from the store; a damaged entry that the store moved aside (see
     * {@link CorruptStoreException}) counts as missing, so that it is issued anew, and is logged.
     */
    private Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
        try {
            return store.load(certificate);
        } catch (CorruptStoreException e) {
            if (e.movedAside().isEmpty()) {
                throw e;
            }
            LOG.warn("{}: the stored certificate was damaged and is issued anew: {}", certificate.id(), e.getMessage());
            emit(certificate, CertificateEvent.Type.FAILED, "The stored certificate was damaged: " + e.getMessage());
            return store.load(certificate);
        }
    }

    private Optional<StoredCertificate> usable(Certificate certificate) throws StoreException {
        Optional<StoredCertificate> stored = load(certificate);
        return stored.filter(s -> isUsable(certificate, s));
    }

    private boolean isUsable(Certificate spec, StoredCertificate stored) {
        Instant now = clock.instant();
        return stored.metadata().specFingerprint().equals(spec.specFingerprint())
                && !now.isBefore(stored.notBefore().minus(Duration.ofMinutes(5)))
                && now.isBefore(renewalTime(spec, stored));
    }

    /**
     * When a stored certificate is renewed: at a point in the CA's suggested window when it gave
     * one; else at the spec's renewal time, made earlier by up to 1 % of the lifetime (at most an
     * hour), so that certificates issued together do not all renew together. The point depends on
     * the certificate id and serial only, so every replica and every restart computes the same.
     */
    private Instant renewalTime(Certificate spec, StoredCertificate stored) {
        double fraction = spreadFraction(spec.id() + "/" + stored.leaf().getSerialNumber());
        AskedWindow asked = renewalWindows.get(serialKey(stored));
        if (asked != null && asked.window().isPresent()) {
            return asked.window().get().at(fraction);
        }
        Instant base = RenewalTimes.renewalTime(spec, stored.notBefore(), stored.notAfter());
        Duration lifetime = Duration.between(stored.notBefore(), stored.notAfter());
        Duration maxSpread = lifetime.dividedBy(100);
        if (maxSpread.compareTo(Duration.ofHours(1)) > 0) {
            maxSpread = Duration.ofHours(1);
        }
        return base.minusMillis((long) (maxSpread.toMillis() * fraction));
    }

    private static double spreadFraction(String seed) {
        int h = seed.hashCode() * 0x9E3779B9;
        return (h >>> 8) / (double) (1 << 24);
    }

    private static String serialKey(StoredCertificate stored) {
        return stored.leaf().getIssuerX500Principal().getName() + "#" + stored.leaf().getSerialNumber().toString(16);
    }

    private void checkIssuers(Certificate certificate) {
        for (IssuerRef ref : certificate.issuerRefsInOrder()) {
            Issuer issuer = issuerFor(certificate, ref);
            issuer.checkCanIssue(certificate, solversFor(issuer));
        }
    }

    private StoredCertificate issue(Certificate certificate, Optional<StoredCertificate> previous)
            throws AutocertException, InterruptedException {
        issuing.add(certificate.id());
        List<Exception> failures = new ArrayList<>();
        try {
            KeyPair keyPair = keyFor(certificate, previous);
            byte[] csr = Csr.create(certificate, keyPair);
            List<IssuerRef> refs = certificate.issuerRefsInOrder();
            for (int i = 0; i < refs.size(); i++) {
                Issuer issuer = issuerFor(certificate, refs.get(i));
                Optional<X509Certificate> replaces = previous.filter(p -> p.metadata().issuerName().equals(issuer.name()))
                        .map(StoredCertificate::leaf);
                List<X509Certificate> chain;
                try {
                    chain = issuer.issue(new IssuanceRequest(certificate, keyPair, csr, replaces), context(issuer));
                    requireMatchingKey(chain, keyPair, issuer);
                } catch (AutocertException | RuntimeException e) {
                    failures.add(e);
                    if (i + 1 < refs.size()) {
                        LOG.warn("{}: issuer {} failed ({}); trying the next issuer, {}", certificate.id(), issuer.name(),
                                e.getMessage(), refs.get(i + 1).name());
                    }
                    continue;
                }
                // Not an issuer failure when the store refuses: the next issuer would not help.
                return stored(certificate, issuer, keyPair, chain, previous);
            }
        } catch (RuntimeException e) {
            failures.add(e);
        } finally {
            issuing.remove(certificate.id());
        }
        Exception last = failures.get(failures.size() - 1);
        for (Exception e : failures.subList(0, failures.size() - 1)) {
            last.addSuppressed(e);
        }
        IssuanceFailures recorded = recordFailure(certificate, last);
        emit(certificate, CertificateEvent.Type.FAILED, "Issuance failed: " + last.getMessage() + "; failed attempts: "
                + recorded.attempts() + ", next attempt at " + recorded.nextAttempt());
        if (last instanceof AutocertException a) {
            throw a;
        }
        throw (RuntimeException) last;
    }

    private StoredCertificate stored(Certificate certificate, Issuer issuer, KeyPair keyPair, List<X509Certificate> chain,
            Optional<StoredCertificate> previous) throws StoreException {
        int revision = previous.map(p -> p.metadata().revision() + 1).orElse(1);
        StoredCertificate result = new StoredCertificate(chain, keyPair,
                new CertificateMetadata(certificate.specFingerprint(), issuer.name(), revision, clock.instant()));
        store.save(certificate, result);
        clearFailures(certificate);
        previous.ifPresent(p -> renewalWindows.remove(serialKey(p))); // the replaced certificate's window is done with
        emit(certificate, CertificateEvent.Type.ISSUED, "Issued by " + issuer.name() + ", serial "
                + result.leaf().getSerialNumber().toString(16) + ", valid until " + result.notAfter()
                + ", revision " + revision);
        if (previous.isPresent()) {
            emit(certificate, CertificateEvent.Type.RENEWED, "Replaced revision " + previous.get().metadata().revision());
        }
        return result;
    }

    private IssuanceContext context(Issuer issuer) {
        return new IssuanceContext(solversFor(issuer), store, locks, clock, events);
    }

    /** @return the issuer's own solvers when it was configured with some, else the manager's */
    private SolverSet solversFor(Issuer issuer) {
        return issuerSolvers.getOrDefault(issuer, solvers);
    }

    private List<SolverSet.Entry> allSolvers() {
        List<SolverSet.Entry> all = new ArrayList<>(solvers.entries());
        issuerSolvers.values().forEach(set -> all.addAll(set.entries()));
        return all;
    }

    // ---------------------------------------------------------------------------------- failures and backoff

    /**
     * @param attempts failed attempts in a row, at least 1
     * @return how long to wait after that many failures: the initial backoff, doubled per further
     *     failure, capped (cert-manager: 1 h, 2 h, 4 h ... 32 h)
     */
    Duration backoff(int attempts) {
        Duration delay = backoffInitial;
        for (int i = 1; i < attempts && delay.compareTo(backoffMax) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(backoffMax) > 0 ? backoffMax : delay;
    }

    private IssuanceFailures recordFailure(Certificate certificate, Exception cause) {
        Instant now = clock.instant();
        int previous = 0;
        try {
            previous = loadFailures(certificate).filter(f -> f.specFingerprint().equals(certificate.specFingerprint()))
                    .map(IssuanceFailures::attempts).orElse(0);
        } catch (StoreException e) {
            LOG.warn("{}: cannot read the earlier failures, counting from 1: {}", certificate.id(), e.getMessage());
        }
        int attempts = previous + 1;
        Instant next = now.plus(backoff(attempts));
        if (cause instanceof RateLimitedException limited && limited.retryAfter().isPresent()
                && limited.retryAfter().get().isAfter(now)) {
            next = limited.retryAfter().get(); // the CA knows best when its limit resets
        }
        IssuanceFailures failures = new IssuanceFailures(certificate.specFingerprint(), attempts, now, next,
                String.valueOf(cause.getMessage()));
        if (!(store instanceof FailureRecords records)) {
            failuresInMemory.put(certificate.id(), failures);
            return failures;
        }
        try {
            records.saveFailures(certificate, failures);
        } catch (StoreException e) {
            LOG.warn("{}: cannot record the failed attempt in the store; a restart forgets it: {}", certificate.id(),
                    e.getMessage());
            failuresInMemory.put(certificate.id(), failures);
        }
        return failures;
    }

    private Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
        Optional<IssuanceFailures> stored = store instanceof FailureRecords records
                ? records.loadFailures(certificate) : Optional.empty();
        return stored.isPresent() ? stored : Optional.ofNullable(failuresInMemory.get(certificate.id()));
    }

    private void clearFailures(Certificate certificate) {
        failuresInMemory.remove(certificate.id());
        if (!(store instanceof FailureRecords records)) {
            return;
        }
        try {
            records.clearFailures(certificate);
        } catch (StoreException e) {
            LOG.warn("{}: issued, but cannot clear the recorded failures: {}", certificate.id(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------- background renewal

    /**
     * Keeps a certificate valid from now on: issues it when none is stored (or the stored one was
     * issued for another spec), renews it at its renewal time, retries failures with exponential
     * backoff, and serves every new revision through {@link #keyManager()}. Work happens on the
     * background scheduler once {@link #start()} was called (or in {@link #runDue()}). Managing a
     * certificate again with a changed spec replaces the old spec and re-checks at once.
     *
     * @param certificate the certificate
     * @throws IllegalArgumentException when no configured issuer or solver can serve it
     * @throws IllegalStateException when the manager was closed
     */
    public void manage(Certificate certificate) {
        requireNonNull(certificate, "certificate");
        checkIssuers(certificate);
        Certificate previous = managed.put(certificate.id(), certificate);
        if (previous == null || !previous.equals(certificate)) {
            scheduler.schedule(certificate.id(), clock.instant());
        }
    }

    /**
     * Stops keeping a certificate valid and stops serving it; the stored certificate stays.
     *
     * @param certificate the certificate
     */
    public void unmanage(Certificate certificate) {
        requireNonNull(certificate, "certificate");
        if (managed.remove(certificate.id()) != null) {
            scheduler.cancel(certificate.id());
            keyManager.remove(certificate.id());
        }
    }

    /** @return the certificates this manager keeps valid */
    public List<Certificate> managedCertificates() {
        return List.copyOf(managed.values());
    }

    /**
     * Starts the background renewal: one scheduler thread for all managed certificates, and a
     * bounded pool for issuance. Idempotent.
     *
     * @throws IllegalStateException when the manager was closed
     */
    public void start() {
        scheduler.start();
    }

    /**
     * Runs, on the calling thread, the work of every managed certificate that is due by the
     * manager's clock: for tests that move a clock instead of sleeping, and for hosts with their
     * own scheduler.
     *
     * @return how many certificates were looked at
     */
    public int runDue() {
        return scheduler.runDue().size();
    }

    /**
     * @param certificate a managed certificate
     * @return when the manager looks at it next, or empty when it is not managed or being worked on
     */
    public Optional<Instant> nextCheck(Certificate certificate) {
        return Optional.ofNullable(scheduler.nextRun(requireNonNull(certificate, "certificate").id()));
    }

    /** The scheduler's task: brings one managed certificate up to date and says when to look again. */
    private Instant maintain(String id) {
        Certificate spec = managed.get(id);
        Instant now = clock.instant();
        if (spec == null) {
            return now.plus(Duration.ofDays(1)); // unmanaged meanwhile; the scheduler drops it
        }
        try {
            if (leftoversCleaned.compareAndSet(false, true)) {
                cleanUpLeftoversQuietly();
            }
            Optional<StoredCertificate> stored = load(spec);
            if (stored.isPresent()) {
                serve(spec, stored.get());
                askRenewalWindow(spec, stored.get(), now);
                if (isUsable(spec, stored.get())) {
                    return earliest(renewalTime(spec, stored.get()), now.plus(renewalInfoInterval), stored.get());
                }
            }
            Optional<IssuanceFailures> failures = loadFailures(spec);
            if (failures.isPresent() && failures.get().holdsBack(spec, now)) {
                return failures.get().nextAttempt();
            }
            StoredCertificate issued = obtainLocked(spec, true, null);
            serve(spec, issued);
            askRenewalWindow(spec, issued, clock.instant());
            return earliest(renewalTime(spec, issued), clock.instant().plus(renewalInfoInterval), issued);
        } catch (HeldBack e) {
            return e.failures.nextAttempt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return now.plus(Duration.ofMinutes(1));
        } catch (AutocertException | RuntimeException e) {
            try {
                Optional<IssuanceFailures> failures = loadFailures(spec);
                if (failures.isPresent() && failures.get().nextAttempt().isAfter(now)) {
                    return failures.get().nextAttempt(); // recorded by the failed issuance
                }
            } catch (StoreException inner) {
                e.addSuppressed(inner);
            }
            // Not an issuance failure (the store or a lock): look again soon, without counting it.
            LOG.warn("{}: cannot check the certificate ({}); trying again in a minute", id, e.getMessage());
            return now.plus(Duration.ofMinutes(1));
        }
    }

    /** The renewal time, or earlier to ask the CA again about a renewal window when it offers them. */
    private Instant earliest(Instant renewal, Instant nextAsk, StoredCertificate stored) {
        AskedWindow asked = renewalWindows.get(serialKey(stored));
        return asked != null && asked.window().isPresent() && nextAsk.isBefore(renewal) ? nextAsk : renewal;
    }

    /** Asks the certificate's issuer for its renewal window, at most once per {@code renewalInfoInterval}. */
    private void askRenewalWindow(Certificate spec, StoredCertificate stored, Instant now) throws InterruptedException {
        String key = serialKey(stored);
        AskedWindow asked = renewalWindows.get(key);
        if (asked != null && now.isBefore(asked.askedAt().plus(renewalInfoInterval))) {
            return;
        }
        Optional<Issuer> issuer = spec.issuerRefsInOrder().stream().map(ref -> issuerFor(spec, ref))
                .filter(i -> i.name().equals(stored.metadata().issuerName())).findFirst();
        if (issuer.isEmpty()) {
            return;
        }
        try {
            Optional<RenewalWindow> window = issuer.get().renewalWindow(stored, context(issuer.get()));
            renewalWindows.put(key, new AskedWindow(window, now));
            window.ifPresent(w -> LOG.debug("{}: the CA suggests renewing between {} and {}", spec.id(), w.start(), w.end()));
        } catch (AutocertException | RuntimeException e) {
            LOG.info("{}: cannot fetch the CA's renewal information, keeping the own schedule: {}", spec.id(), e.getMessage());
            renewalWindows.put(key, new AskedWindow(asked == null ? Optional.empty() : asked.window(), now));
        }
    }

    // ---------------------------------------------------------------------------------- status, TLS, revocation

    /**
     * Reads what is known about a certificate now, from the store and from this manager.
     *
     * @param certificate the certificate
     * @return its status
     * @throws StoreException when the store cannot be read
     */
    public CertificateStatus status(Certificate certificate) throws StoreException {
        requireNonNull(certificate, "certificate");
        Instant now = clock.instant();
        Optional<StoredCertificate> stored = load(certificate);
        Optional<IssuanceFailures> failures = loadFailures(certificate)
                .filter(f -> f.specFingerprint().equals(certificate.specFingerprint()));
        CertificateStatus.Condition ready;
        boolean due;
        if (stored.isEmpty()) {
            ready = condition(false, "DoesNotExist", "No certificate is stored for " + certificate.id());
            due = true;
        } else if (!now.isBefore(stored.get().notAfter())) {
            ready = condition(false, "Expired", "The certificate expired at " + stored.get().notAfter());
            due = true;
        } else if (!stored.get().metadata().specFingerprint().equals(certificate.specFingerprint())) {
            ready = condition(false, "SpecChanged", "The stored certificate was issued for another spec");
            due = true;
        } else {
            ready = condition(true, "Ready", "The certificate is up to date and has not expired");
            due = !isUsable(certificate, stored.get());
        }
        CertificateStatus.Condition issuingCondition;
        if (issuing.contains(certificate.id())) {
            issuingCondition = condition(true, "Issuing", "An issuance is running");
        } else if (failures.isPresent() && now.isBefore(failures.get().nextAttempt())) {
            issuingCondition = condition(false, "Failed", "Attempt " + failures.get().attempts() + " failed: "
                    + failures.get().lastMessage() + "; next attempt at " + failures.get().nextAttempt());
        } else if (due) {
            issuingCondition = condition(true, stored.isEmpty() ? "DoesNotExist" : "Renewing", "Issuance is due");
        } else {
            issuingCondition = condition(false, "UpToDate", "Renewal is due at " + renewalTime(certificate, stored.get()));
        }
        return new CertificateStatus(certificate.id(), ready, issuingCondition, stored.map(StoredCertificate::notBefore),
                stored.map(StoredCertificate::notAfter), stored.map(s -> renewalTime(certificate, s)),
                stored.map(s -> s.metadata().revision()).orElse(0), failures.map(IssuanceFailures::attempts).orElse(0),
                failures.map(IssuanceFailures::lastFailureTime), failures.map(IssuanceFailures::nextAttempt));
    }

    private static CertificateStatus.Condition condition(boolean status, String reason, String message) {
        return new CertificateStatus.Condition(status ? CertificateStatus.ConditionStatus.TRUE
                : CertificateStatus.ConditionStatus.FALSE, reason, message);
    }

    private void serve(Certificate certificate, StoredCertificate stored) {
        List<String> names = new ArrayList<>(certificate.dnsNames());
        names.addAll(certificate.ipAddresses());
        keyManager.put(certificate.id(), names, stored);
    }

    /**
     * A key manager that serves every certificate this manager obtained or manages, chosen by the
     * client's SNI name: exact name, then wildcard, then the {@linkplain Builder#defaultServerName
     * default name}, then the first certificate. A renewed certificate is served from the next
     * handshake on, without a restart.
     *
     * @return the key manager, the same for the manager's life
     */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /**
     * @return a TLS server context over {@link #keyManager()}, the same for the manager's life
     * @throws IllegalStateException when the JVM has no TLS
     */
    public SSLContext sslContext() {
        SSLContext context = sslContext;
        if (context == null) {
            synchronized (this) {
                if (sslContext == null) {
                    try {
                        SSLContext created = SSLContext.getInstance("TLS");
                        created.init(new KeyManager[] {keyManager}, null, null);
                        sslContext = created;
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("this JVM cannot create a TLS context: " + e.getMessage(), e);
                    }
                }
                context = sslContext;
            }
        }
        return context;
    }

    /**
     * Revokes the stored certificate at the CA that issued it; a managed certificate is then
     * issued anew at once.
     *
     * @param certificate the certificate
     * @param reason why
     * @throws AutocertException when the CA refuses, or nothing is stored for the certificate
     * @throws InterruptedException when interrupted
     */
    public void revoke(Certificate certificate, RevocationReason reason) throws AutocertException, InterruptedException {
        requireNonNull(certificate, "certificate");
        requireNonNull(reason, "reason");
        StoredCertificate stored = load(certificate).orElseThrow(() -> new AutocertException(
                "Nothing is stored for " + certificate.id() + ": there is no certificate to revoke", false));
        Issuer issuer = certificate.issuerRefsInOrder().stream().map(ref -> issuerFor(certificate, ref))
                .filter(i -> i.name().equals(stored.metadata().issuerName())).findFirst()
                .orElseThrow(() -> new AutocertException("The certificate of " + certificate.id() + " was issued by "
                        + stored.metadata().issuerName() + ", which is not among its issuers now: revoke it there", false));
        issuer.revoke(stored, reason, context(issuer));
        emit(certificate, CertificateEvent.Type.REVOKED, "Revoked serial " + stored.leaf().getSerialNumber().toString(16)
                + " (" + reason + ")");
        if (managed.containsKey(certificate.id())) {
            renew(certificate);
        }
    }

    private KeyPair keyFor(Certificate certificate, Optional<StoredCertificate> previous) {
        PrivateKeySpec spec = certificate.privateKey();
        if (spec.rotationPolicy() == RotationPolicy.NEVER && previous.isPresent()
                && KeyPairs.matches(previous.get().keyPair().getPublic(), spec)) {
            return previous.get().keyPair();
        }
        KeyPair generated = KeyPairs.generate(spec);
        emit(certificate, CertificateEvent.Type.GENERATED, "Generated a new " + spec.algorithm() + " private key");
        return generated;
    }

    private static void requireMatchingKey(List<X509Certificate> chain, KeyPair keyPair, Issuer issuer) throws AutocertException {
        if (chain.isEmpty() || !chain.get(0).getPublicKey().equals(keyPair.getPublic())) {
            throw new AutocertException("Issuer " + issuer.name() + " returned a certificate that does not match the requested key", false);
        }
    }

    private Issuer issuerFor(Certificate certificate, IssuerRef ref) {
        for (Issuer issuer : issuers) {
            if (issuer.name().equals(ref.name()) && issuer.scope().kind() == ref.kind() && issuer.scope().serves(certificate)) {
                return issuer;
            }
        }
        List<String> known = new ArrayList<>();
        for (Issuer issuer : issuers) {
            known.add(issuer.scope().kind().manifestName() + " " + issuer.name()
                    + issuer.scope().namespace().map(n -> " (namespace " + n + ")").orElse(""));
        }
        throw new IllegalArgumentException("certificate " + certificate.id() + " references " + ref.kind().manifestName()
                + " " + ref.name() + ", which is not configured" + (ref.kind() == IssuerKind.ISSUER
                        ? " in namespace " + certificate.namespace() : "")
                + "; configured: " + known + ". Fix issuerRef or add the issuer to the manager.");
    }

    private void emit(Certificate certificate, CertificateEvent.Type type, String message) {
        dispatch(new CertificateEvent(type, certificate.id(), message, clock.instant()));
    }

    private void dispatch(CertificateEvent event) {
        if (event.type() == CertificateEvent.Type.FAILED) {
            LOG.warn("{} {}: {}", event.certificateId(), event.type().reason(), event.message());
        } else {
            LOG.info("{} {}: {}", event.certificateId(), event.type().reason(), event.message());
        }
        for (CertificateListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed on {}", l, event.type(), e);
            }
        }
    }

    /**
     * Stops the background renewal (a running issuance gets 10 seconds to finish, then is
     * interrupted). Solvers and stores belong to the caller and stay open; the key manager keeps
     * serving what it served.
     */
    @Override
    public void close() {
        scheduler.close();
    }

    /**
     * Builds a {@link CertificateManager}. Each setter checks its argument at once; single-valued
     * settings may be set once. Not thread-safe.
     */
    public static final class Builder {
        private final List<Issuer> issuers = new ArrayList<>();
        private final List<SolverSet.Entry> solvers = new ArrayList<>();
        private final Map<Issuer, List<SolverSet.Entry>> issuerSolvers = new IdentityHashMap<>();
        private final List<CertificateListener> listeners = new ArrayList<>();
        private CertificateStore store;
        private LockProvider locks;
        private Clock clock = Clock.systemUTC();
        private boolean clockSet;
        private Duration lockTimeout = Duration.ofMinutes(10);
        private boolean lockTimeoutSet;
        private Duration backoffInitial = Duration.ofHours(1);
        private Duration backoffMax = Duration.ofHours(32);
        private boolean backoffSet;
        private Duration renewalInfoInterval = Duration.ofHours(6);
        private boolean renewalInfoIntervalSet;
        private int concurrency = 4;
        private boolean concurrencySet;
        private String defaultServerName;

        private Builder() {
        }

        /**
         * @param issuer an issuer; its name and scope must be unique among this manager's issuers
         * @return this builder
         */
        public Builder issuer(Issuer issuer) {
            requireNonNull(issuer, "issuer");
            for (Issuer other : issuers) {
                if (other.name().equals(issuer.name()) && other.scope().equals(issuer.scope())) {
                    throw new IllegalArgumentException("issuer " + issuer.name() + " (" + issuer.scope().kind().manifestName()
                            + ") is configured twice: give each issuer a distinct name");
                }
            }
            issuers.add(issuer);
            return this;
        }

        /**
         * Adds an issuer with solvers of its own, as a cert-manager ACME issuer has
         * {@code spec.acme.solvers}: certificates of this issuer are solved by these (chosen by their
         * selectors) and never by the manager's other solvers.
         *
         * @param issuer an issuer; its name and scope must be unique among this manager's issuers
         * @param solvers its solvers, each with its selector; at least one
         * @return this builder
         */
        public Builder issuer(Issuer issuer, List<SolverSet.Entry> solvers) {
            requireNonNull(issuer, "issuer");
            requireNonNull(solvers, "solvers");
            if (solvers.isEmpty()) {
                throw new IllegalArgumentException("issuer " + issuer.name() + " is given an empty list of solvers: "
                        + "use issuer(issuer) for an issuer that needs none or shares the manager's");
            }
            for (SolverSet.Entry entry : solvers) {
                requireNonNull(entry, "a solver of issuer " + issuer.name());
            }
            issuer(issuer);
            issuerSolvers.put(issuer, List.copyOf(solvers));
            return this;
        }

        /**
         * @param solver a solver used for every name no more specific solver serves
         * @return this builder
         */
        public Builder solver(Solver solver) {
            return solver(SolverSelector.any(), solver);
        }

        /**
         * @param selector which names the solver serves
         * @param solver the solver
         * @return this builder
         */
        public Builder solver(SolverSelector selector, Solver solver) {
            solvers.add(new SolverSet.Entry(selector, solver));
            return this;
        }

        /**
         * @param store where certificates and account keys are kept
         * @return this builder
         */
        public Builder store(CertificateStore store) {
            if (this.store != null) {
                throw new IllegalStateException("store was already set on this builder: set it once");
            }
            this.store = requireNonNull(store, "store");
            return this;
        }

        /**
         * @param locks coordinates managers sharing the store; the store's default if unset
         * @return this builder
         */
        public Builder lockProvider(LockProvider locks) {
            if (this.locks != null) {
                throw new IllegalStateException("lockProvider was already set on this builder: set it once");
            }
            this.locks = requireNonNull(locks, "lockProvider");
            return this;
        }

        /**
         * @param clock the time source for validity and renewal decisions; UTC system clock if unset
         * @return this builder
         */
        public Builder clock(Clock clock) {
            if (clockSet) {
                throw new IllegalStateException("clock was already set on this builder: set it once");
            }
            this.clock = requireNonNull(clock, "clock");
            clockSet = true;
            return this;
        }

        /**
         * @param listener receives every event of every certificate
         * @return this builder
         */
        public Builder listener(CertificateListener listener) {
            listeners.add(requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param timeout how long to wait for another manager that is issuing the same
         *     certificate; 10 minutes if unset
         * @return this builder
         */
        public Builder lockTimeout(Duration timeout) {
            if (lockTimeoutSet) {
                throw new IllegalStateException("lockTimeout was already set on this builder: set it once");
            }
            requireNonNull(timeout, "lockTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("lockTimeout must be positive, was " + timeout);
            }
            this.lockTimeout = timeout;
            lockTimeoutSet = true;
            return this;
        }

        /**
         * @param initial how long to wait after the first failed issuance; doubled after each
         *     further failure (1 hour if unset, as cert-manager)
         * @param max the longest wait (32 hours if unset, as cert-manager)
         * @return this builder
         */
        public Builder failureBackoff(Duration initial, Duration max) {
            if (backoffSet) {
                throw new IllegalStateException("failureBackoff was already set on this builder: set it once");
            }
            requireNonNull(initial, "initial");
            requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero()) {
                throw new IllegalArgumentException("failureBackoff initial must be positive, was " + initial);
            }
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("failureBackoff max " + max + " is shorter than initial " + initial
                        + ": raise max");
            }
            this.backoffInitial = initial;
            this.backoffMax = max;
            backoffSet = true;
            return this;
        }

        /**
         * @param concurrency how many certificates the background renewal issues at once (4 if unset)
         * @return this builder
         */
        public Builder concurrency(int concurrency) {
            if (concurrencySet) {
                throw new IllegalStateException("concurrency was already set on this builder: set it once");
            }
            if (concurrency < 1 || concurrency > 256) {
                throw new IllegalArgumentException("concurrency must be within 1..256, was " + concurrency);
            }
            this.concurrency = concurrency;
            concurrencySet = true;
            return this;
        }

        /**
         * @param name the DNS name whose certificate {@link CertificateManager#keyManager()} serves
         *     to clients that send no SNI name, or one no certificate covers
         * @return this builder
         */
        public Builder defaultServerName(String name) {
            if (defaultServerName != null) {
                throw new IllegalStateException("defaultServerName was already set on this builder: set it once");
            }
            this.defaultServerName = Names.normaliseDnsName("defaultServerName", requireNonNull(name, "defaultServerName"));
            return this;
        }

        /**
         * @param interval how often to ask a CA that offers ACME Renewal Information when to renew
         *     (6 hours if unset)
         * @return this builder
         */
        public Builder renewalInfoInterval(Duration interval) {
            if (renewalInfoIntervalSet) {
                throw new IllegalStateException("renewalInfoInterval was already set on this builder: set it once");
            }
            renewalInfoIntervalSet = true;
            requireNonNull(interval, "renewalInfoInterval");
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("renewalInfoInterval must be at least a second, was " + interval);
            }
            this.renewalInfoInterval = interval;
            return this;
        }

        /**
         * @return the manager
         * @throws IllegalStateException when no store or no issuer is configured
         */
        public CertificateManager build() {
            if (store == null) {
                throw new IllegalStateException("CertificateManager has no store: call store(FileCertificateStore.of(path)) "
                        + "or store(new InMemoryCertificateStore())");
            }
            if (issuers.isEmpty()) {
                throw new IllegalStateException("CertificateManager has no issuer: call issuer(AcmeIssuer.builder(name)...build())");
            }
            return new CertificateManager(this);
        }
    }
}
