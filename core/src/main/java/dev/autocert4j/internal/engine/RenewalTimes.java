package dev.autocert4j.internal.engine;

import dev.autocert4j.Certificate;
import java.time.Duration;
import java.time.Instant;

/** When a stored certificate is due for renewal, with cert-manager's rules. */
public final class RenewalTimes {
    private RenewalTimes() {
    }

    /**
     * {@code renewBefore} before expiry; else {@code renewBeforePercentage} of the lifetime before
     * expiry; else at two thirds of the actual lifetime (cert-manager's default).
     *
     * @param spec the certificate spec
     * @param notBefore the issued certificate's notBefore
     * @param notAfter the issued certificate's notAfter
     * @return the renewal time
     */
    public static Instant renewalTime(Certificate spec, Instant notBefore, Instant notAfter) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        if (spec.renewBefore().isPresent()) {
            Duration before = spec.renewBefore().get();
            // A CA may issue a shorter lifetime than asked; never renew before the certificate starts.
            return before.compareTo(lifetime) >= 0 ? notBefore.plus(lifetime.multipliedBy(2).dividedBy(3)) : notAfter.minus(before);
        }
        if (spec.renewBeforePercentage().isPresent()) {
            return notAfter.minus(lifetime.multipliedBy(spec.renewBeforePercentage().getAsInt()).dividedBy(100));
        }
        return notBefore.plus(lifetime.multipliedBy(2).dividedBy(3));
    }
}
