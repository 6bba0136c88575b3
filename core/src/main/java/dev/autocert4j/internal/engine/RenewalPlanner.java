package dev.autocert4j.internal.engine;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.RenewalWindow;
import dev.autocert4j.store.StoredCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a stored certificate is renewed, and whether it may be used until then: the CA's suggested
 * window (ACME Renewal Information, asked at most once per interval and cached by serial) when it
 * gave one, else {@link RenewalTimes} with a spread. Thread-safe.
 */
public final class RenewalPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(RenewalPlanner.class);

    /** A renewal window (or its absence) as the CA answered at {@code askedAt}. */
    private record AskedWindow(Optional<RenewalWindow> window, Instant askedAt) {
    }

    private static final Duration MIN_GAP = Duration.ofMinutes(1);
    private static final Duration MAX_GAP = Duration.ofHours(1);

    private final Clock clock;
    private final Issuers issuers;
    private final Duration renewalInfoInterval;
    /** The CA's suggested renewal windows, by certificate serial, with when each was asked. */
    private final ConcurrentHashMap<String, AskedWindow> windows = new ConcurrentHashMap<>();

    /**
     * @param clock the time source
     * @param issuers whom to ask for renewal windows
     * @param renewalInfoInterval how often to ask
     */
    public RenewalPlanner(Clock clock, Issuers issuers, Duration renewalInfoInterval) {
        this.clock = clock;
        this.issuers = issuers;
        this.renewalInfoInterval = renewalInfoInterval;
    }

    /**
     * @param spec the certificate
     * @param stored what is stored for it
     * @return whether {@code stored} was issued for this spec, was not revoked, has started (give or take five
     *     minutes of clock skew) and is not yet due for renewal
     */
    public boolean isUsable(Certificate spec, StoredCertificate stored) {
        Instant now = clock.instant();
        return stored.metadata().specFingerprint().equals(spec.specFingerprint())
                && !stored.metadata().isRevoked()
                && !now.isBefore(stored.notBefore().minus(Duration.ofMinutes(5)))
                && now.isBefore(renewalTime(spec, stored));
    }

    /**
     * When a stored certificate is renewed: at a point in the CA's suggested window when it gave
     * one; else at the spec's renewal time, made earlier by up to 1 % of the lifetime (at most an
     * hour), so that certificates issued together do not all renew together. The point depends on
     * the certificate id and serial only, so every replica and every restart computes the same.
     * Never sooner than 10 % of the lifetime (at least a minute, at most an hour) after the
     * certificate was stored, so that a time already past at issuance does not renew back to back.
     *
     * @param spec the certificate
     * @param stored what is stored for it
     * @return the renewal time
     */
    public Instant renewalTime(Certificate spec, StoredCertificate stored) {
        return notSoonerThanTheFloor(stored, plannedRenewalTime(spec, stored));
    }

    private Instant plannedRenewalTime(Certificate spec, StoredCertificate stored) {
        double fraction = spreadFraction(spec.id() + "/" + stored.leaf().getSerialNumber());
        AskedWindow asked = windows.get(serialKey(stored));
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

    /**
     * A renewal time that is already past (or nearly) when the certificate is stored — a CA window
     * in the past, a {@code renewBefore} just short of a backdated lifetime — would renew it again at
     * once, and again, back to back. So a certificate is never renewed sooner than
     * {@link #minimumGap} after it was stored (unless it expires sooner).
     */
    private static Instant notSoonerThanTheFloor(StoredCertificate stored, Instant planned) {
        Instant floor = stored.metadata().issuedAt().plus(minimumGap(stored));
        if (floor.isAfter(stored.notAfter())) {
            floor = stored.notAfter();
        }
        return planned.isBefore(floor) ? floor : planned;
    }

    /**
     * @param stored a stored certificate
     * @return the least time between storing a certificate and renewing it: 10 % of its lifetime,
     *     at least a minute and at most an hour
     */
    static Duration minimumGap(StoredCertificate stored) {
        Duration tenth = Duration.between(stored.notBefore(), stored.notAfter()).dividedBy(10);
        if (tenth.compareTo(MIN_GAP) < 0) {
            return MIN_GAP;
        }
        return tenth.compareTo(MAX_GAP) > 0 ? MAX_GAP : tenth;
    }

    /**
     * @param spec the certificate
     * @param stored what is stored for it
     * @param now the time of this check
     * @return when to look at the certificate next: its renewal time, or earlier to ask the CA
     *     again about its window when it offers them
     */
    public Instant nextCheck(Certificate spec, StoredCertificate stored, Instant now) {
        Instant renewal = renewalTime(spec, stored);
        Instant nextAsk = now.plus(renewalInfoInterval);
        AskedWindow asked = windows.get(serialKey(stored));
        return asked != null && asked.window().isPresent() && nextAsk.isBefore(renewal) ? nextAsk : renewal;
    }

    /**
     * Asks the certificate's issuer for its renewal window, at most once per interval; a failure
     * keeps the window known before.
     *
     * @param spec the certificate
     * @param stored what is stored for it
     * @param now the time of this check
     * @throws InterruptedException when interrupted
     */
    public void askRenewalWindow(Certificate spec, StoredCertificate stored, Instant now) throws InterruptedException {
        String key = serialKey(stored);
        AskedWindow asked = windows.get(key);
        if (asked != null && now.isBefore(asked.askedAt().plus(renewalInfoInterval))) {
            return;
        }
        Optional<Issuer> issuer = issuers.issuerOf(spec, stored);
        if (issuer.isEmpty()) {
            return;
        }
        try {
            Optional<RenewalWindow> window = issuer.get().renewalWindow(stored, issuers.context(issuer.get()));
            windows.put(key, new AskedWindow(window, now));
            window.ifPresent(w -> LOG.debug("{}: the CA suggests renewing between {} and {}", spec.id(), w.start(), w.end()));
        } catch (AutocertException | RuntimeException e) {
            LOG.info("{}: cannot fetch the CA's renewal information, keeping the own schedule: {}", spec.id(), Messages.describe(e));
            windows.put(key, new AskedWindow(asked == null ? Optional.empty() : asked.window(), now));
        }
    }

    /** @param replaced a certificate that was replaced: its window is done with */
    public void forget(StoredCertificate replaced) {
        windows.remove(serialKey(replaced));
    }

    private static double spreadFraction(String seed) {
        int h = seed.hashCode() * 0x9E3779B9;
        return (h >>> 8) / (double) (1 << 24);
    }

    private static String serialKey(StoredCertificate stored) {
        return stored.leaf().getIssuerX500Principal().getName() + "#" + stored.leaf().getSerialNumber().toString(16);
    }
}
