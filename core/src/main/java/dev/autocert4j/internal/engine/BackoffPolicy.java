package dev.autocert4j.internal.engine;

import dev.autocert4j.Certificate;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.issuer.RateLimitedException;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.FailureRecords;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed issuances and how long they hold the next attempt back: exponential backoff, or the CA's
 * {@code Retry-After} when it is rate limited. Failures are recorded in a store that keeps
 * {@link FailureRecords}, so that replicas and restarts honour them; otherwise (or when recording
 * fails) in memory. Thread-safe.
 */
public final class BackoffPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(BackoffPolicy.class);

    private final CertificateStore store;
    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    /** Failures of stores that do not record them: lost on restart. */
    private final ConcurrentHashMap<String, IssuanceFailures> inMemory = new ConcurrentHashMap<>();

    /**
     * @param store where failures are recorded, if it keeps {@link FailureRecords}
     * @param clock the time source
     * @param initial the wait after the first failure
     * @param max the longest wait
     */
    public BackoffPolicy(CertificateStore store, Clock clock, Duration initial, Duration max) {
        this.store = store;
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    /**
     * @param attempts failed attempts in a row, at least 1
     * @return how long to wait after that many failures: the initial backoff, doubled per further
     *     failure, capped (cert-manager: 1 h, 2 h, 4 h ... 32 h)
     */
    public Duration backoff(int attempts) {
        Duration delay = initial;
        for (int i = 1; i < attempts && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /**
     * Counts one more failed attempt of the certificate's current spec.
     *
     * @param certificate the certificate
     * @param cause why it failed
     * @return the failures recorded now, with the next attempt's time
     */
    public IssuanceFailures record(Certificate certificate, Exception cause) {
        Instant now = clock.instant();
        int previous = 0;
        try {
            previous = load(certificate).filter(f -> f.specFingerprint().equals(certificate.specFingerprint()))
                    .map(IssuanceFailures::attempts).orElse(0);
        } catch (StoreException e) {
            LOG.warn("{}: cannot read the earlier failures, counting from 1: {}", certificate.id(), Messages.describe(e));
        }
        int attempts = previous + 1;
        Instant next = now.plus(backoff(attempts));
        if (cause instanceof RateLimitedException limited && limited.retryAfter().isPresent()
                && limited.retryAfter().get().isAfter(now)) {
            next = limited.retryAfter().get(); // the CA knows best when its limit resets
        }
        IssuanceFailures failures = new IssuanceFailures(certificate.specFingerprint(), attempts, now, next,
                Messages.describe(cause));
        // A configuration mistake (a wrong directory URL, say) is kept in memory only: the store stays as it was, and a
        // restart with the corrected configuration is not held back by the mistake's backoff.
        boolean configurationMistake = cause instanceof IllegalArgumentException || cause instanceof IllegalStateException;
        if (configurationMistake || !(store instanceof FailureRecords records)) {
            inMemory.put(certificate.id(), failures);
            return failures;
        }
        try {
            records.saveFailures(certificate, failures);
        } catch (StoreException e) {
            LOG.warn("{}: cannot record the failed attempt in the store; a restart forgets it: {}", certificate.id(),
                    Messages.describe(e));
            inMemory.put(certificate.id(), failures);
        }
        return failures;
    }

    /**
     * @param certificate the certificate
     * @return its recorded failures, of whatever spec
     * @throws StoreException when the store cannot be read
     */
    public Optional<IssuanceFailures> load(Certificate certificate) throws StoreException {
        Optional<IssuanceFailures> stored = store instanceof FailureRecords records
                ? records.loadFailures(certificate) : Optional.empty();
        return stored.isPresent() ? stored : Optional.ofNullable(inMemory.get(certificate.id()));
    }

    /**
     * @param certificate the certificate
     * @param now the time of the attempt
     * @return its recorded failures when they hold an attempt at {@code now} back
     * @throws StoreException when the store cannot be read
     */
    public Optional<IssuanceFailures> holdingBack(Certificate certificate, Instant now) throws StoreException {
        return load(certificate).filter(f -> f.holdsBack(certificate, now));
    }

    /**
     * Forgets the failures after a success; a store that cannot forget them is logged, not thrown.
     *
     * @param certificate the certificate
     */
    public void clear(Certificate certificate) {
        inMemory.remove(certificate.id());
        if (!(store instanceof FailureRecords records)) {
            return;
        }
        try {
            records.clearFailures(certificate);
        } catch (StoreException e) {
            LOG.warn("{}: issued, but cannot clear the recorded failures: {}", certificate.id(), Messages.describe(e));
        }
    }
}
