package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.engine.BackgroundRenewal;
import dev.autocert4j.internal.engine.BackoffPolicy;
import dev.autocert4j.internal.engine.EventDispatcher;
import dev.autocert4j.internal.engine.IssuanceEngine;
import dev.autocert4j.internal.engine.Issuers;
import dev.autocert4j.internal.engine.LeftoverCleaner;
import dev.autocert4j.internal.engine.ManagerSettingChecks;
import dev.autocert4j.internal.engine.RenewalPlanner;
import dev.autocert4j.internal.engine.StatusCache;
import dev.autocert4j.internal.engine.StatusReporter;
import dev.autocert4j.internal.tls.SniKeyManager;
import dev.autocert4j.internal.x509.Names;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Obtains certificates from the configured issuers, proves control with the configured solvers,
 * keeps the result in the store, renews it in time and serves it over TLS.
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
    private final CertificateStore store;
    private final IssuanceEngine engine;
    private final LeftoverCleaner cleaner;
    private final BackgroundRenewal background;
    private final StatusReporter statusReporter;
    private final StatusCache statusCache;
    private final Issuers issuers;
    private final SniKeyManager keyManager;

    private CertificateManager(Builder b) {
        this.store = b.store;
        Clock clock = b.clock;
        LockProvider locks = b.locks == null ? b.store.defaultLockProvider() : b.locks;
        EventDispatcher events = new EventDispatcher(clock, this::forgetCachedStatus, b.listeners);
        Map<Issuer, SolverSet> issuerSolvers = new IdentityHashMap<>();
        b.issuerSolvers.forEach((issuer, entries) -> issuerSolvers.put(issuer, new SolverSet(entries)));
        this.issuers = new Issuers(b.issuers, new SolverSet(b.solvers), issuerSolvers, store, locks, clock, events);
        BackoffPolicy backoff = new BackoffPolicy(store, clock, b.backoffInitial, b.backoffMax);
        RenewalPlanner planner = new RenewalPlanner(clock, issuers, b.renewalInfoInterval);
        this.cleaner = new LeftoverCleaner(store, locks, issuers);
        this.engine = new IssuanceEngine(store, locks, b.lockTimeout, clock, issuers, backoff, planner, cleaner, events);
        this.statusReporter = new StatusReporter(clock, engine, backoff, planner);
        this.keyManager = new SniKeyManager(b.defaultServerName, clock, this::isManagedId);
        this.background = new BackgroundRenewal(clock, engine, planner, backoff, cleaner, keyManager, b.concurrency);
        this.statusCache = new StatusCache(clock, statusReporter, planner, background);
    }

    /** Asked by the key manager at handshake time only, when {@link #background} is long set. */
    private boolean isManagedId(String certificateId) {
        return background.isManaged(certificateId);
    }

    /** Heard before the listeners; events come from work done long after construction. */
    private void forgetCachedStatus(CertificateEvent event) {
        statusCache.forget(event);
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
    public StoredCertificate obtain(Certificate certificate) throws AutocertException, InterruptedException {
        requireNonNull(certificate, "certificate");
        StoredCertificate result = engine.obtain(certificate);
        keyManager.put(certificate, result);
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
        StoredCertificate result = engine.renew(certificate);
        keyManager.put(certificate, result);
        return result;
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
    public int cleanUpLeftovers() throws StoreException, InterruptedException {
        return cleaner.cleanUp();
    }

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
        issuers.check(certificate);
        background.manage(certificate);
    }

    /**
     * Stops keeping a certificate valid and stops serving it; the stored certificate stays.
     *
     * @param certificate the certificate
     */
    public void unmanage(Certificate certificate) {
        background.unmanage(requireNonNull(certificate, "certificate"));
    }

    /** @return the certificates this manager keeps valid */
    public List<Certificate> managedCertificates() {
        return background.managed();
    }

    /**
     * Starts the background renewal: one scheduler thread for all managed certificates, and a
     * bounded pool for issuance. Idempotent.
     *
     * @throws IllegalStateException when the manager was closed
     */
    public void start() {
        background.start();
    }

    /**
     * Runs, on the calling thread, the work of every managed certificate that is due by the
     * manager's clock: for tests that move a clock instead of sleeping, and for hosts with their
     * own scheduler.
     *
     * @return how many certificates were looked at
     */
    public int runDue() {
        return background.runDue();
    }

    /**
     * @param certificate a managed certificate
     * @return when the manager looks at it next, or empty when it is not managed or being worked on
     */
    public Optional<Instant> nextCheck(Certificate certificate) {
        return Optional.ofNullable(background.nextCheck(requireNonNull(certificate, "certificate")));
    }

    /**
     * Reads what is known about a certificate now, from the store and from this manager.
     *
     * @param certificate the certificate
     * @return its status
     * @throws StoreException when the store cannot be read
     */
    public CertificateStatus status(Certificate certificate) throws StoreException {
        return statusReporter.status(requireNonNull(certificate, "certificate"));
    }

    /**
     * {@link #status}, for health checks and metrics that ask often: the store is read again only after this
     * manager's event about the certificate, or once a time the status depends on has passed (renewal, expiry,
     * next attempt, this manager's next check, where another manager's renewal shows up).
     *
     * @param certificate the certificate
     * @return its status now
     * @throws StoreException when the store had to be read and could not be
     */
    public CertificateStatus cachedStatus(Certificate certificate) throws StoreException {
        return statusCache.status(requireNonNull(certificate, "certificate"));
    }

    /**
     * A key manager that serves every certificate this manager obtained or manages, chosen by the
     * client's SNI name: exact name, then wildcard, then the {@linkplain Builder#defaultServerName
     * default name}'s certificate. A client that sends no name, or one no certificate covers, gets
     * the default name's certificate, or a failed handshake when no default name is set (never
     * some other certificate, whose names would tell it about other sites). A renewed certificate
     * is served from the next handshake on, without a restart.
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
        return keyManager.sslContext();
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
        engine.revoke(certificate, reason);
        if (background.isManaged(certificate)) {
            renew(certificate);
        }
    }

    /**
     * Stops the background renewal (a running issuance gets 10 seconds to finish, then is
     * interrupted). Solvers and stores belong to the caller and stay open; the key manager keeps
     * serving what it served.
     */
    @Override
    public void close() {
        background.close();
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
        /** Single-valued settings already set. */
        private final Set<String> assigned = new HashSet<>();
        private CertificateStore store;
        private LockProvider locks;
        private Clock clock = Clock.systemUTC();
        private Duration lockTimeout = Duration.ofMinutes(10);
        private Duration backoffInitial = Duration.ofHours(1);
        private Duration backoffMax = Duration.ofHours(32);
        /** Issuance threads unless {@link #concurrency} says otherwise; the README states it. */
        static final int DEFAULT_CONCURRENCY = 4;
        private Duration renewalInfoInterval = Duration.ofHours(6);
        private int concurrency = DEFAULT_CONCURRENCY;
        private String defaultServerName;

        private Builder() {
        }

        private void checkUnset(String setting) {
            if (assigned.contains(setting)) {
                throw new IllegalStateException(setting + " was already set on this builder: set it once");
            }
        }

        /**
         * @param issuer an issuer; its name and scope must be unique among this manager's issuers
         * @return this builder
         */
        public Builder issuer(Issuer issuer) {
            ManagerSettingChecks.distinctIssuer(issuers, issuer);
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
            List<SolverSet.Entry> list = ManagerSettingChecks.issuerSolvers(issuer, solvers);
            issuer(issuer);
            issuerSolvers.put(issuer, list);
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
            checkUnset("store");
            this.store = requireNonNull(store, "store");
            assigned.add("store");
            return this;
        }

        /**
         * @param locks coordinates managers sharing the store; the store's default if unset
         * @return this builder
         */
        public Builder lockProvider(LockProvider locks) {
            checkUnset("lockProvider");
            this.locks = requireNonNull(locks, "lockProvider");
            assigned.add("lockProvider");
            return this;
        }

        /**
         * @param clock the time source for validity and renewal decisions; UTC system clock if unset
         * @return this builder
         */
        public Builder clock(Clock clock) {
            checkUnset("clock");
            this.clock = requireNonNull(clock, "clock");
            assigned.add("clock");
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
            checkUnset("lockTimeout");
            this.lockTimeout = ManagerSettingChecks.lockTimeout(timeout);
            assigned.add("lockTimeout");
            return this;
        }

        /**
         * @param initial how long to wait after the first failed issuance; doubled after each
         *     further failure (1 hour if unset, as cert-manager)
         * @param max the longest wait (32 hours if unset, as cert-manager)
         * @return this builder
         */
        public Builder failureBackoff(Duration initial, Duration max) {
            checkUnset("failureBackoff");
            ManagerSettingChecks.failureBackoff(initial, max);
            this.backoffInitial = initial;
            this.backoffMax = max;
            assigned.add("failureBackoff");
            return this;
        }

        /**
         * @param concurrency how many certificates the background renewal issues at once (4 if unset)
         * @return this builder
         */
        public Builder concurrency(int concurrency) {
            checkUnset("concurrency");
            this.concurrency = ManagerSettingChecks.concurrency(concurrency);
            assigned.add("concurrency");
            return this;
        }

        /**
         * @param name the DNS name whose certificate {@link CertificateManager#keyManager()} serves
         *     to clients that send no SNI name, or one no certificate covers (the certificate that
         *     would answer this name as SNI: exact, then wildcard); without it, such handshakes fail
         * @return this builder
         */
        public Builder defaultServerName(String name) {
            checkUnset("defaultServerName");
            this.defaultServerName = Names.normaliseDnsName("defaultServerName", requireNonNull(name, "defaultServerName"));
            assigned.add("defaultServerName");
            return this;
        }

        /**
         * @param interval how often to ask a CA that offers ACME Renewal Information when to renew
         *     (6 hours if unset)
         * @return this builder
         */
        public Builder renewalInfoInterval(Duration interval) {
            checkUnset("renewalInfoInterval");
            assigned.add("renewalInfoInterval");
            this.renewalInfoInterval = ManagerSettingChecks.renewalInfoInterval(interval);
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
