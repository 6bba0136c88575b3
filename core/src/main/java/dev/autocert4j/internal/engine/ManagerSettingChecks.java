package dev.autocert4j.internal.engine;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.solver.SolverSet;
import java.time.Duration;
import java.util.List;

/**
 * Checks the settings of a {@code CertificateManager.Builder} one by one, as they are set, refusing with an
 * {@link IllegalArgumentException} that names the setting and what to change. Stateless.
 */
public final class ManagerSettingChecks {
    private ManagerSettingChecks() {
    }

    /**
     * @param configured the issuers configured so far
     * @param issuer the issuer to add
     * @throws IllegalArgumentException when an issuer of the same name and scope is configured already
     */
    public static void distinctIssuer(List<Issuer> configured, Issuer issuer) {
        requireNonNull(issuer, "issuer");
        for (Issuer other : configured) {
            if (other.name().equals(issuer.name()) && other.scope().equals(issuer.scope())) {
                throw new IllegalArgumentException("issuer " + issuer.name() + " (" + issuer.scope().kind().manifestName()
                        + ") is configured twice: give each issuer a distinct name");
            }
        }
    }

    /**
     * @param issuer the issuer the solvers are given to
     * @param solvers its own solvers
     * @return an unmodifiable copy of the solvers
     * @throws IllegalArgumentException when the list is empty
     */
    public static List<SolverSet.Entry> issuerSolvers(Issuer issuer, List<SolverSet.Entry> solvers) {
        requireNonNull(issuer, "issuer");
        List<SolverSet.Entry> list = Arguments.noNulls("solvers", solvers);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("issuer " + issuer.name() + " is given an empty list of solvers: "
                    + "use issuer(issuer) for an issuer that needs none or shares the manager's");
        }
        return list;
    }

    /**
     * @param timeout how long to wait for another manager's lock
     * @return the timeout, when positive
     */
    public static Duration lockTimeout(Duration timeout) {
        requireNonNull(timeout, "lockTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("lockTimeout must be positive, was " + timeout);
        }
        return timeout;
    }

    /**
     * @param initial the first wait after a failure; positive
     * @param max the longest wait; at least {@code initial}
     */
    public static void failureBackoff(Duration initial, Duration max) {
        requireNonNull(initial, "initial");
        requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("failureBackoff initial must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("failureBackoff max " + max + " is shorter than initial " + initial
                    + ": raise max");
        }
    }

    /**
     * @param concurrency how many certificates are issued at once
     * @return the concurrency, when within 1..256
     */
    public static int concurrency(int concurrency) {
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be within 1..256, was " + concurrency);
        }
        return concurrency;
    }

    /**
     * @param interval how often to ask for ACME Renewal Information
     * @return the interval, when at least a second
     */
    public static Duration renewalInfoInterval(Duration interval) {
        requireNonNull(interval, "renewalInfoInterval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("renewalInfoInterval must be at least a second, was " + interval);
        }
        return interval;
    }
}
