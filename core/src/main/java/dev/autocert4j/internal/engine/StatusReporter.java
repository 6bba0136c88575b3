package dev.autocert4j.internal.engine;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateStatus;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Computes a certificate's status, as cert-manager's conditions, from the store and the engine. Thread-safe. */
public final class StatusReporter {
    private final Clock clock;
    private final IssuanceEngine engine;
    private final BackoffPolicy backoff;
    private final RenewalPlanner planner;

    /**
     * @param clock the time source
     * @param engine reads the store and knows what is being issued
     * @param backoff knows the recorded failures
     * @param planner knows the renewal times
     */
    public StatusReporter(Clock clock, IssuanceEngine engine, BackoffPolicy backoff, RenewalPlanner planner) {
        this.clock = clock;
        this.engine = engine;
        this.backoff = backoff;
        this.planner = planner;
    }

    /**
     * @param certificate the certificate
     * @return its status now
     * @throws StoreException when the store cannot be read
     */
    public CertificateStatus status(Certificate certificate) throws StoreException {
        return status(certificate, read(certificate));
    }

    /**
     * What a status is computed from, as the store holds it now.
     *
     * @param stored the stored certificate
     * @param failures the recorded failures, of whatever spec
     */
    public record StoredState(Optional<StoredCertificate> stored, Optional<IssuanceFailures> failures) {
    }

    /**
     * @param certificate the certificate
     * @return what the store holds for it now
     * @throws StoreException when the store cannot be read
     */
    public StoredState read(Certificate certificate) throws StoreException {
        return new StoredState(engine.load(certificate), backoff.load(certificate));
    }

    /**
     * @param certificate the certificate, with its current spec
     * @param state what the store held for it, read with {@link #read} (now or earlier)
     * @return its status now, from {@code state}, the clock and what this manager is issuing; reads no store
     */
    public CertificateStatus status(Certificate certificate, StoredState state) {
        Instant now = clock.instant();
        Optional<StoredCertificate> stored = state.stored();
        Optional<IssuanceFailures> failures = state.failures()
                .filter(f -> f.specFingerprint().equals(certificate.specFingerprint()));
        CertificateStatus.Condition ready;
        boolean due;
        if (stored.isEmpty()) {
            ready = condition(false, "DoesNotExist", "No certificate is stored for " + certificate.id());
            due = true;
        } else if (!now.isBefore(stored.get().notAfter())) {
            ready = condition(false, "Expired", "The certificate expired at " + stored.get().notAfter());
            due = true;
        } else if (stored.get().metadata().isRevoked()) {
            ready = condition(false, "Revoked", "The certificate was revoked at " + stored.get().metadata().revokedAt().get());
            due = true;
        } else if (!stored.get().metadata().specFingerprint().equals(certificate.specFingerprint())) {
            ready = condition(false, "SpecChanged", "The stored certificate was issued for another spec");
            due = true;
        } else {
            ready = condition(true, "Ready", "The certificate is up to date and has not expired");
            due = !planner.isUsable(certificate, stored.get());
        }
        CertificateStatus.Condition issuing;
        if (engine.isIssuing(certificate.id())) {
            issuing = condition(true, "Issuing", "An issuance is running");
        } else if (failures.isPresent() && now.isBefore(failures.get().nextAttempt())) {
            issuing = condition(false, "Failed", "Attempt " + failures.get().attempts() + " failed: "
                    + failures.get().lastMessage() + "; next attempt at " + failures.get().nextAttempt());
        } else if (due) {
            issuing = condition(true, stored.isEmpty() ? "DoesNotExist" : "Renewing", "Issuance is due");
        } else {
            issuing = condition(false, "UpToDate", "Renewal is due at " + planner.renewalTime(certificate, stored.get()));
        }
        return new CertificateStatus(certificate.id(), ready, issuing, stored.map(StoredCertificate::notBefore),
                stored.map(StoredCertificate::notAfter), stored.map(s -> planner.renewalTime(certificate, s)),
                stored.map(s -> s.metadata().revision()).orElse(0), failures.map(IssuanceFailures::attempts).orElse(0),
                failures.map(IssuanceFailures::lastFailureTime), failures.map(IssuanceFailures::nextAttempt));
    }

    private static CertificateStatus.Condition condition(boolean status, String reason, String message) {
        return new CertificateStatus.Condition(status ? CertificateStatus.ConditionStatus.TRUE
                : CertificateStatus.ConditionStatus.FALSE, reason, message);
    }
}
