package dev.autocert4j.internal.engine;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.RotationPolicy;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.internal.x509.Csr;
import dev.autocert4j.internal.x509.KeyPairs;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.IssuedCertificate;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.lock.LockLostException;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.ConditionalSave;
import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.DerivedOutputs;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains one certificate: takes its lock, re-reads the store (another manager may have issued
 * meanwhile), asks its issuers in order until one issues, and saves the result. Failures are
 * recorded for the {@link BackoffPolicy}. Thread-safe.
 */
public final class IssuanceEngine {
    private static final Logger LOG = LoggerFactory.getLogger(IssuanceEngine.class);

    /** Thrown when recorded failures hold a background attempt back. */
    static final class HeldBack extends AutocertException {
        private static final long serialVersionUID = 1L;
        private final transient IssuanceFailures failures;

        HeldBack(IssuanceFailures failures) {
            super("held back until " + failures.nextAttempt(), true);
            this.failures = failures;
        }

        IssuanceFailures failures() {
            return failures;
        }
    }

    private final CertificateStore store;
    private final LockProvider locks;
    private final Duration lockTimeout;
    private final Clock clock;
    private final Issuers issuers;
    private final BackoffPolicy backoff;
    private final RenewalPlanner planner;
    private final LeftoverCleaner cleaner;
    private final EventDispatcher events;
    /** Ids of certificates being issued right now by this manager. */
    private final Set<String> issuing = ConcurrentHashMap.newKeySet();

    /**
     * @param store where certificates are kept
     * @param locks coordinates managers sharing the store
     * @param lockTimeout how long to wait for another manager issuing the same certificate
     * @param clock the time source
     * @param issuers the issuers and their solvers
     * @param backoff records failures
     * @param planner says whether a stored certificate is still usable
     * @param cleaner cleans up leftovers before the first issuance
     * @param events receives what happens
     */
    public IssuanceEngine(CertificateStore store, LockProvider locks, Duration lockTimeout, Clock clock, Issuers issuers,
            BackoffPolicy backoff, RenewalPlanner planner, LeftoverCleaner cleaner, EventDispatcher events) {
        this.store = store;
        this.locks = locks;
        this.lockTimeout = lockTimeout;
        this.clock = clock;
        this.issuers = issuers;
        this.backoff = backoff;
        this.planner = planner;
        this.cleaner = cleaner;
        this.events = events;
    }

    /**
     * @param certificateId a certificate's {@code namespace/name}
     * @return the name of the lock held while it is ordered
     */
    static String lockName(String certificateId) {
        return "certificate/" + certificateId;
    }

    /**
     * @param certificate the desired certificate
     * @return the stored certificate if usable, else a newly issued and stored one
     * @throws AutocertException when issuance or storage fails
     * @throws InterruptedException when interrupted
     */
    public StoredCertificate obtain(Certificate certificate) throws AutocertException, InterruptedException {
        cleaner.cleanUpOnce();
        issuers.check(certificate);
        Optional<StoredCertificate> current = load(certificate).filter(s -> planner.isUsable(certificate, s));
        if (current.isPresent()) {
            syncDerivedOutputs(certificate, current.get());
            return current.get();
        }
        return obtainLocked(certificate, false, null);
    }

    /**
     * Brings what the store derives from the spec alone (template, output formats, keystores) up to date
     * for a stored certificate that stays, without ordering, as cert-manager's post-issuance policies do;
     * a no-op for a store without {@link DerivedOutputs}. No lock: the store's write is atomic and
     * derives from what it holds at that moment, so it cannot undo a renewal saved meanwhile.
     *
     * @param certificate the certificate, whose stored certificate is usable
     * @param loaded what {@link #load} just returned for it: the store may write from that read, not read again
     * @throws StoreException when the store cannot build or write the outputs
     */
    public void syncDerivedOutputs(Certificate certificate, StoredCertificate loaded) throws StoreException {
        if (store instanceof DerivedOutputs derived && derived.syncDerivedOutputs(certificate, loaded)) {
            LOG.info("{}: brought the stored outputs up to date with the spec (template, output formats, keystores); "
                    + "nothing was ordered", certificate.id());
        }
    }

    /**
     * @param certificate the certificate
     * @return a newly issued certificate, or one another manager issued while this one waited
     * @throws AutocertException when issuance or storage fails
     * @throws InterruptedException when interrupted
     */
    public StoredCertificate renew(Certificate certificate) throws AutocertException, InterruptedException {
        issuers.check(certificate);
        String replacedSerial = load(certificate).map(s -> s.leaf().getSerialNumber().toString(16)).orElse("");
        return obtainLocked(certificate, false, replacedSerial);
    }

    /**
     * Revokes the stored certificate at the issuer that issued it.
     *
     * @param certificate the certificate
     * @param reason why
     * @throws AutocertException when the CA refuses, or nothing is stored, or its issuer is gone
     * @throws InterruptedException when interrupted
     */
    public void revoke(Certificate certificate, RevocationReason reason) throws AutocertException, InterruptedException {
        StoredCertificate stored = load(certificate).orElseThrow(() -> new AutocertException(
                "Nothing is stored for " + certificate.id() + ": there is no certificate to revoke", false));
        Issuer issuer = issuers.issuerOf(certificate, stored)
                .orElseThrow(() -> new AutocertException("The certificate of " + certificate.id() + " was issued by "
                        + stored.metadata().issuerName() + ", which is not among its issuers now: revoke it there", false));
        issuer.revoke(stored, reason, issuers.context(issuer));
        markRevoked(certificate, stored);
        events.emit(certificate, CertificateEvent.Type.REVOKED, "Revoked serial "
                + stored.leaf().getSerialNumber().toString(16) + " (" + reason + ")", stored);
    }

    /**
     * Marks the revoked certificate in the store, so that no {@code obtain} returns it again; under
     * the certificate's lock, and only while the store still holds that serial (a renewal that
     * another manager stored meanwhile stays as it is).
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used inside it
    private void markRevoked(Certificate certificate, StoredCertificate revoked) throws AutocertException, InterruptedException {
        try (LockProvider.Lock lock = locks.acquire(lockName(certificate.id()), lockTimeout)) {
            Optional<StoredCertificate> current = load(certificate);
            if (current.isPresent() && current.get().leaf().getSerialNumber().equals(revoked.leaf().getSerialNumber())
                    && !current.get().metadata().isRevoked()) {
                StoredCertificate s = current.get();
                saveUnlessChanged(certificate, current, s.withMetadata(s.metadata().withRevokedAt(clock.instant())));
            }
        }
    }

    /**
     * @param certificateId a certificate's {@code namespace/name}
     * @return whether this manager is issuing it right now
     */
    public boolean isIssuing(String certificateId) {
        return issuing.contains(certificateId);
    }

    /**
     * Loads from the store; a damaged entry that the store moved aside (see
     * {@link CorruptStoreException}) counts as missing, so that it is issued anew, and is logged.
     *
     * @param certificate the certificate
     * @return what is stored for it
     * @throws StoreException when the store cannot be read
     */
    public Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
        try {
            return store.load(certificate);
        } catch (CorruptStoreException e) {
            if (e.movedAside().isEmpty()) {
                throw e;
            }
            LOG.warn("{}: the stored certificate was damaged and is issued anew: {}", certificate.id(), Messages.describe(e));
            events.emit(certificate, CertificateEvent.Type.FAILED, "The stored certificate was damaged: " + Messages.describe(e));
            return store.load(certificate);
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
    StoredCertificate obtainLocked(Certificate certificate, boolean respectBackoff, String forceReplacing)
            throws AutocertException, InterruptedException {
        preflightStore(certificate);
        try (LockProvider.Lock lock = locks.acquire(lockName(certificate.id()), lockTimeout)) {
            cleaner.cleanUpLocked(certificate.id());
            Optional<StoredCertificate> stored = load(certificate);
            if (stored.isPresent() && planner.isUsable(certificate, stored.get())) {
                boolean renewedMeanwhile = forceReplacing != null
                        && !stored.get().leaf().getSerialNumber().toString(16).equals(forceReplacing);
                if (forceReplacing == null || renewedMeanwhile) {
                    LOG.debug("{} was issued by another manager while waiting for the lock", certificate.id());
                    return stored.get();
                }
            }
            if (respectBackoff) {
                Optional<IssuanceFailures> failures = backoff.holdingBack(certificate, clock.instant());
                if (failures.isPresent()) {
                    throw new HeldBack(failures.get());
                }
            }
            return issue(certificate, stored, lock);
        }
    }

    /**
     * The store's preflight, before the lock: the default lock of a file store lives under the store's root, so a
     * root the process may not write would otherwise fail as a lock that cannot be made, uncounted, instead of as
     * this check, which names the fix and counts as a failed attempt. It changes nothing, so it needs no lock.
     */
    private void preflightStore(Certificate certificate) throws AutocertException, InterruptedException {
        if (store instanceof Preflight check) {
            try {
                check.preflight(PreflightRequest.of(certificate));
            } catch (PreflightException | RuntimeException e) {
                throw recordFailure(certificate, List.of(e), null);
            }
        }
    }

    /**
     * Asks the certificate's issuers in order, each after its own preflight (the store's ran before the lock);
     * the first that issues wins, else the last failure is recorded and thrown. The key is generated once the
     * first issuer has passed its preflight: a failed preflight generates, orders and stores nothing.
     */
    private StoredCertificate issue(Certificate certificate, Optional<StoredCertificate> previous, LockProvider.Lock lock)
            throws AutocertException, InterruptedException {
        issuing.add(certificate.id());
        List<Exception> failures = new ArrayList<>();
        String lastIssuer = null;
        try {
            KeyPair keyPair = null;
            byte[] csr = null;
            List<IssuerRef> refs = certificate.issuerRefsInOrder();
            for (int i = 0; i < refs.size(); i++) {
                lastIssuer = null;
                Issuer issuer = issuers.forRef(certificate, refs.get(i));
                lastIssuer = issuer.name();
                Optional<X509Certificate> replaces = previous.filter(p -> p.metadata().issuerName().equals(issuer.name()))
                        .map(StoredCertificate::leaf);
                IssuedCertificate issued;
                try {
                    issuers.preflight(issuer, certificate);
                    if (keyPair == null) {
                        keyPair = keyFor(certificate, previous);
                        csr = Csr.create(certificate, keyPair);
                    }
                    issued = issuer.issueCertificate(new IssuanceRequest(certificate, keyPair, csr, replaces),
                            issuers.context(issuer));
                    requireMatchingKey(issued.chain(), keyPair, issuer);
                } catch (AutocertException | RuntimeException e) {
                    failures.add(e);
                    if (i + 1 < refs.size()) {
                        LOG.warn("{}: issuer {} failed ({}); trying the next issuer, {}", certificate.id(), issuer.name(),
                                Messages.describe(e), refs.get(i + 1).name());
                    }
                    continue;
                }
                requireStillHeld(lock, certificate);
                // Not an issuer failure when the store refuses: the next issuer would not help.
                try {
                    return save(certificate, issuer, keyPair, issued, previous);
                } catch (StoreException e) {
                    // A save slower than the lock's last stretch: the store refused to overwrite the next holder's work.
                    requireStillHeld(lock, certificate, e);
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            failures.add(e); // no issuer can help
        } finally {
            issuing.remove(certificate.id());
        }
        throw recordFailure(certificate, failures, lastIssuer);
    }

    /**
     * Records the last of the failures for the backoff (the others suppressed in it) and emits {@code Failed}.
     *
     * @return the exception to throw, when it is a checked one
     * @throws RuntimeException the last failure, when it is unchecked
     */
    private AutocertException recordFailure(Certificate certificate, List<Exception> failures, String lastIssuer) {
        Exception last = failures.get(failures.size() - 1);
        for (Exception e : failures.subList(0, failures.size() - 1)) {
            last.addSuppressed(e);
        }
        IssuanceFailures recorded = backoff.record(certificate, last);
        CertificateEvent.Builder failed = events.event(certificate, CertificateEvent.Type.FAILED, "Issuance failed: "
                + Messages.describe(last) + "; failed attempts: " + recorded.attempts() + ", next attempt at " + recorded.nextAttempt());
        events.onEvent((lastIssuer == null ? failed : failed.issuerName(lastIssuer)).build());
        if (last instanceof AutocertException a) {
            return a;
        }
        throw (RuntimeException) last;
    }

    private StoredCertificate save(Certificate certificate, Issuer issuer, KeyPair keyPair, IssuedCertificate issued,
            Optional<StoredCertificate> previous) throws StoreException {
        int revision = previous.map(p -> p.metadata().revision() + 1).orElse(1);
        StoredCertificate result = new StoredCertificate(issued.chain(), keyPair,
                new CertificateMetadata(certificate.specFingerprint(), issuer.name(), revision, clock.instant()), issued.ca());
        saveUnlessChanged(certificate, previous, result);
        backoff.clear(certificate);
        previous.ifPresent(planner::forget);
        events.emit(certificate, CertificateEvent.Type.ISSUED, "Issued by " + issuer.name() + ", serial "
                + result.leaf().getSerialNumber().toString(16) + ", valid until " + result.notAfter()
                + ", revision " + revision, result);
        if (previous.isPresent()) {
            events.emit(certificate, CertificateEvent.Type.RENEWED, "Replaced revision " + previous.get().metadata().revision(),
                    result);
        }
        return result;
    }

    /**
     * Saves only if the store still holds what was read under the lock, where the store can tell
     * ({@link ConditionalSave}): then a save that outlives the lock cannot overwrite the next holder's.
     */
    private void saveUnlessChanged(Certificate certificate, Optional<StoredCertificate> readUnderLock, StoredCertificate result)
            throws StoreException {
        if (store instanceof ConditionalSave conditional) {
            conditional.saveIfUnchanged(certificate, readUnderLock, result);
        } else {
            store.save(certificate, result);
        }
    }

    /** Another manager may hold the lock now and be issuing too: saving would overwrite its work. */
    private static void requireStillHeld(LockProvider.Lock lock, Certificate certificate) throws LockLostException {
        requireStillHeld(lock, certificate, null);
    }

    private static void requireStillHeld(LockProvider.Lock lock, Certificate certificate, StoreException refused)
            throws LockLostException {
        if (!lock.isHeld()) {
            LockLostException lost = new LockLostException("the lock " + lockName(certificate.id()) + " was lost while "
                    + certificate.id() + " was being issued (" + lock + "); the new certificate was not saved, the next "
                    + "attempt re-reads the store");
            if (refused != null) {
                lost.initCause(refused);
            }
            throw lost;
        }
    }

    private KeyPair keyFor(Certificate certificate, Optional<StoredCertificate> previous) {
        PrivateKeySpec spec = certificate.privateKey();
        // A revoked certificate's key is never reused, whatever the policy: the reason may be a compromised key.
        if (spec.rotationPolicy() == RotationPolicy.NEVER && previous.isPresent()
                && !previous.get().metadata().isRevoked()
                && KeyPairs.matches(previous.get().keyPair().getPublic(), spec)) {
            return previous.get().keyPair();
        }
        KeyPair generated = KeyPairs.generate(spec);
        events.emit(certificate, CertificateEvent.Type.GENERATED, "Generated a new " + spec.algorithm() + " private key");
        return generated;
    }

    private static void requireMatchingKey(List<X509Certificate> chain, KeyPair keyPair, Issuer issuer)
            throws AutocertException {
        if (chain.isEmpty() || !chain.get(0).getPublicKey().equals(keyPair.getPublic())) {
            throw new AutocertException("Issuer " + issuer.name() + " returned a certificate that does not match the "
                    + "requested key", false);
        }
    }
}
