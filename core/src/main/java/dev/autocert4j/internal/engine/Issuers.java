package dev.autocert4j.internal.engine;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerKind;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manager's issuers with their solvers: which issuer an {@link IssuerRef} means, which solvers it
 * may use, and what it is lent for one call. Immutable and thread-safe.
 */
public final class Issuers {
    private final List<Issuer> issuers;
    private final SolverSet solvers;
    /** Solvers that belong to one issuer, as a cert-manager ACME issuer's {@code solvers}. */
    private final Map<Issuer, SolverSet> issuerSolvers = new IdentityHashMap<>();
    private final CertificateStore store;
    private final LockProvider locks;
    private final Clock clock;
    private final EventDispatcher events;

    /**
     * @param issuers the issuers, each name and scope once
     * @param solvers the manager's solvers, for issuers without their own
     * @param issuerSolvers the solvers of issuers that have their own
     * @param store lent to issuers (account keys)
     * @param locks lent to issuers
     * @param clock lent to issuers
     * @param events where issuers report progress
     */
    public Issuers(List<Issuer> issuers, SolverSet solvers, Map<Issuer, SolverSet> issuerSolvers, CertificateStore store,
            LockProvider locks, Clock clock, EventDispatcher events) {
        this.issuers = List.copyOf(issuers);
        this.solvers = solvers;
        this.issuerSolvers.putAll(issuerSolvers);
        this.store = store;
        this.locks = locks;
        this.clock = clock;
        this.events = events;
    }

    /**
     * @param certificate a certificate
     * @throws IllegalArgumentException when an issuer it references is not configured, or cannot
     *     serve it with its solvers
     */
    public void check(Certificate certificate) {
        for (IssuerRef ref : certificate.issuerRefsInOrder()) {
            Issuer issuer = forRef(certificate, ref);
            issuer.checkCanIssue(certificate, solversFor(issuer));
        }
    }

    /**
     * Runs the issuer's {@link Preflight}, if it has one, with the solvers it would use.
     *
     * @param issuer a configured issuer
     * @param certificate the certificate about to be ordered from it
     * @throws PreflightException when something the issuer or one of its solvers needs is missing
     * @throws InterruptedException when interrupted
     */
    public void preflight(Issuer issuer, Certificate certificate) throws PreflightException, InterruptedException {
        if (issuer instanceof Preflight check) {
            check.preflight(PreflightRequest.of(certificate).withSolvers(solversFor(issuer)));
        }
    }

    /**
     * @param certificate a certificate
     * @param ref one of its issuer references
     * @return the configured issuer it means
     * @throws IllegalArgumentException when none is configured, saying which are
     */
    public Issuer forRef(Certificate certificate, IssuerRef ref) {
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

    /**
     * @param certificate a certificate
     * @param stored what is stored for it
     * @return the issuer among the certificate's that signed {@code stored}, if it still is one
     */
    public Optional<Issuer> issuerOf(Certificate certificate, StoredCertificate stored) {
        return certificate.issuerRefsInOrder().stream().map(ref -> forRef(certificate, ref))
                .filter(i -> i.name().equals(stored.metadata().issuerName())).findFirst();
    }

    /**
     * @param issuer a configured issuer
     * @return what the manager lends it for one call
     */
    public IssuanceContext context(Issuer issuer) {
        return new IssuanceContext(solversFor(issuer), store, locks, clock, events);
    }

    /** @return the issuer's own solvers when it was configured with some, else the manager's */
    private SolverSet solversFor(Issuer issuer) {
        return issuerSolvers.getOrDefault(issuer, solvers);
    }

    /** @return every configured solver, the manager's and the issuers' own */
    public List<SolverSet.Entry> allSolvers() {
        List<SolverSet.Entry> all = new ArrayList<>(solvers.entries());
        issuerSolvers.values().forEach(set -> all.addAll(set.entries()));
        return all;
    }
}
