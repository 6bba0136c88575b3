package dev.autocert4j.solver;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.Identifier;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The solvers of a manager in configuration order, each with its selector, and the choice of one
 * per identifier as cert-manager's solver picker makes it (see {@link SolverSelector} and
 * {@link #select(Identifier, Certificate, Set)}). Only solvers that {@linkplain Solver#canSolve can
 * solve} an identifier, and whose challenge type the CA offers, are considered for it, so a wildcard
 * never lands on an HTTP-01 solver. Immutable and thread-safe.
 */
public final class SolverSet {
    /**
     * A solver with the selector that decides where it is used.
     *
     * @param selector which names it serves
     * @param solver the solver
     */
    public record Entry(SolverSelector selector, Solver solver) {
        /**
         * Validates and copies the components.
         *
         * @param selector see the record description
         * @param solver see the record description
         */
        public Entry {
            requireNonNull(selector, "selector");
            requireNonNull(solver, "solver");
        }
    }

    private final List<Entry> entries;

    /** @param entries solvers in configuration order */
    public SolverSet(List<Entry> entries) {
        this.entries = List.copyOf(requireNonNull(entries, "entries"));
    }

    /** @return the entries in configuration order */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * The solver for an identifier when the CA may offer every challenge type: what is checked before
     * an order is placed.
     *
     * @param identifier an identifier of the certificate
     * @param certificate the certificate (its labels take part in the choice)
     * @return the solver to use, if any matches and can solve it
     */
    public Optional<Solver> select(Identifier identifier, Certificate certificate) {
        return select(identifier, certificate, EnumSet.allOf(ChallengeType.class));
    }

    /**
     * The solver for one authorization, as cert-manager's solver picker
     * ({@code pkg/util/solverpicker/solverpicker.go}) chooses it: solvers whose challenge type the CA
     * did not offer for this authorization are skipped, as are those that cannot solve the identifier
     * (HTTP-01 and a wildcard); of the rest whose selector matches (see {@link SolverSelector}), the
     * most specific wins, and among equals the one configured first.
     *
     * @param identifier an identifier of the certificate ({@code *.} kept for a wildcard authorization)
     * @param certificate the certificate (its labels take part in the choice)
     * @param offered the challenge types the CA offers for the identifier's authorization
     * @return the solver to use, if any matches, can solve it and is of an offered type
     */
    public Optional<Solver> select(Identifier identifier, Certificate certificate, Set<ChallengeType> offered) {
        requireNonNull(identifier, "identifier");
        requireNonNull(certificate, "certificate");
        requireNonNull(offered, "offered");
        Solver best = null;
        SelectorMatch bestMatch = null;
        for (Entry e : entries) {
            if (!offered.contains(e.solver().challengeType()) || !e.solver().canSolve(identifier)) {
                continue;
            }
            Optional<SelectorMatch> match = e.selector().match(identifier, certificate.labels());
            // strictly more specific replaces: among equals the first configured stays
            if (match.isPresent() && (bestMatch == null || match.get().compareTo(bestMatch) > 0)) {
                bestMatch = match.get();
                best = e.solver();
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Refuses a certificate with an identifier no solver can serve, before any order is placed.
     *
     * @param certificate the certificate
     * @throws IllegalArgumentException naming the identifiers and what to add
     */
    public void requireSolverForEveryIdentifier(Certificate certificate) {
        List<String> unserved = new ArrayList<>();
        boolean ipAddress = false;
        for (Identifier id : certificate.identifiers()) {
            if (select(id, certificate).isEmpty()) {
                unserved.add(id.value());
                ipAddress |= id.type() == Identifier.Type.IP;
            }
        }
        if (unserved.isEmpty()) {
            return;
        }
        boolean wildcard = unserved.stream().anyMatch(n -> n.startsWith("*."));
        boolean anyIpSolver = entries.stream().anyMatch(e -> e.solver().canSolve(Identifier.ip("192.0.2.1")));
        String configured = entries.isEmpty() ? "no solvers are configured"
                : "configured: " + entries.stream().map(e -> e.solver().challengeType().acmeName()).distinct().toList();
        String fix;
        if (ipAddress && !anyIpSolver) {
            fix = "IP addresses are validated by HTTP-01 only: add an HTTP-01 solver, or remove them from ipAddresses.";
        } else if (wildcard) {
            fix = "Wildcard names need a DNS-01 solver: add one, or remove the wildcard from dnsNames.";
        } else {
            fix = "Add a solver whose selector matches these names.";
        }
        throw new IllegalArgumentException("certificate " + certificate.id() + ": no solver can serve " + unserved
                + " (" + configured + "). " + fix);
    }

    /**
     * Runs the {@link Preflight} of every solver selected for the request's identifiers, each with the
     * identifiers it was selected for, in configuration order; solvers without one are skipped.
     *
     * @param request the certificate about to be ordered
     * @throws PreflightException from the first solver whose check fails
     * @throws InterruptedException when interrupted
     */
    public void preflight(PreflightRequest request) throws PreflightException, InterruptedException {
        Map<Solver, List<Identifier>> selected = new IdentityHashMap<>();
        for (Identifier id : request.identifiers()) {
            select(id, request.certificate()).ifPresent(s -> selected.computeIfAbsent(s, k -> new ArrayList<>()).add(id));
        }
        for (Entry e : entries) {
            List<Identifier> ids = selected.remove(e.solver());
            if (ids != null && e.solver() instanceof Preflight check) {
                check.preflight(request.withIdentifiers(ids));
            }
        }
    }
}
