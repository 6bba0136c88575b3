package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.Csr;
import dev.autocert4j.internal.KeyPairs;
import dev.autocert4j.internal.RenewalTimes;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final CertificateStore store;
    private final LockProvider locks;
    private final Clock clock;
    private final List<CertificateListener> listeners;
    private final Duration lockTimeout;
    private final CertificateListener events = this::dispatch;
    private final AtomicBoolean leftoversCleaned = new AtomicBoolean();

    private CertificateManager(Builder b) {
        this.issuers = List.copyOf(b.issuers);
        this.solvers = new SolverSet(b.solvers);
        this.store = b.store;
        this.locks = b.locks == null ? b.store.defaultLockProvider() : b.locks;
        this.clock = b.clock;
        this.listeners = List.copyOf(b.listeners);
        this.lockTimeout = b.lockTimeout;
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
        Issuer issuer = issuerFor(certificate);
        issuer.checkCanIssue(certificate, solvers);

        Optional<StoredCertificate> current = usable(certificate);
        if (current.isPresent()) {
            return current.get();
        }
        try (LockProvider.Lock lock = locks.acquire("certificate/" + certificate.id(), lockTimeout)) {
            // Another manager may have issued while we waited for the lock.
            Optional<StoredCertificate> stored = store.load(certificate);
            if (stored.isPresent() && isUsable(certificate, stored.get())) {
                LOG.debug("{} was issued by another manager while waiting for the lock", certificate.id());
                return stored.get();
            }
            return issue(certificate, issuer, stored);
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
        List<PendingCleanup> pending;
        try {
            pending = store.pendingCleanups();
        } catch (UnsupportedOperationException e) {
            LOG.debug("No leftovers to clean up: {}", e.getMessage());
            return 0;
        }
        int removed = 0;
        for (PendingCleanup p : pending) {
            Optional<Solver> solver = solvers.entries().stream().map(SolverSet.Entry::solver)
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
                if (!store.pendingCleanups().contains(p)) {
                    continue; // its own manager finished meanwhile
                }
                solver.get().cleanUp(p.handle());
                store.removePendingCleanup(p);
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

    private Optional<StoredCertificate> usable(Certificate certificate) throws StoreException {
        Optional<StoredCertificate> stored = store.load(certificate);
        return stored.filter(s -> isUsable(certificate, s));
    }

    private boolean isUsable(Certificate spec, StoredCertificate stored) {
        Instant now = clock.instant();
        return stored.metadata().specFingerprint().equals(spec.specFingerprint())
                && !now.isBefore(stored.notBefore().minus(Duration.ofMinutes(5)))
                && now.isBefore(RenewalTimes.renewalTime(spec, stored.notBefore(), stored.notAfter()));
    }

    private StoredCertificate issue(Certificate certificate, Issuer issuer, Optional<StoredCertificate> previous)
            throws AutocertException, InterruptedException {
        try {
            KeyPair keyPair = keyFor(certificate, previous);
            byte[] csr = Csr.create(certificate, keyPair);
            IssuanceContext context = new IssuanceContext(solvers, store, locks, clock, events);
            List<X509Certificate> chain = issuer.issue(new IssuanceRequest(certificate, keyPair, csr), context);
            requireMatchingKey(chain, keyPair, issuer);
            int revision = previous.map(p -> p.metadata().revision() + 1).orElse(1);
            StoredCertificate result = new StoredCertificate(chain, keyPair,
                    new CertificateMetadata(certificate.specFingerprint(), issuer.name(), revision, clock.instant()));
            store.save(certificate, result);
            emit(certificate, CertificateEvent.Type.ISSUED, "Issued by " + issuer.name() + ", serial "
                    + result.leaf().getSerialNumber().toString(16) + ", valid until " + result.notAfter()
                    + ", revision " + revision);
            if (previous.isPresent()) {
                emit(certificate, CertificateEvent.Type.RENEWED, "Replaced revision " + previous.get().metadata().revision());
            }
            return result;
        } catch (AutocertException | RuntimeException e) {
            emit(certificate, CertificateEvent.Type.FAILED, "Issuance failed: " + e.getMessage());
            throw e;
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

    private Issuer issuerFor(Certificate certificate) {
        IssuerRef ref = certificate.issuerRef();
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

    /** Releases what the manager holds. Solvers and stores belong to the caller and stay open. */
    @Override
    public void close() {
        // Nothing is held yet: the background renewal scheduler will live here.
    }

    /**
     * Builds a {@link CertificateManager}. Each setter checks its argument at once; single-valued
     * settings may be set once. Not thread-safe.
     */
    public static final class Builder {
        private final List<Issuer> issuers = new ArrayList<>();
        private final List<SolverSet.Entry> solvers = new ArrayList<>();
        private final List<CertificateListener> listeners = new ArrayList<>();
        private CertificateStore store;
        private LockProvider locks;
        private Clock clock = Clock.systemUTC();
        private boolean clockSet;
        private Duration lockTimeout = Duration.ofMinutes(10);
        private boolean lockTimeoutSet;

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
