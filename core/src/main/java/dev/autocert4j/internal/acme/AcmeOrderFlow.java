package dev.autocert4j.internal.acme;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.Identifier;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.ValidationFailedException;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.CleanupJournal;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.TokenChallenge;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ACME order from creation to download: present every challenge, wait until each is visible,
 * trigger, finalise with the CSR once the CA is likely done validating (its learnt pace; an
 * accepted CSR means every authorization is valid, so no authorization poll is needed), or, when
 * the CA answers orderNotReady, poll the authorizations and finalise then; poll the order,
 * download the chain.
 * Whatever was presented is cleaned up in every case. One per issuer: it keeps only the issuer's
 * learnt paces ({@link PaceEstimate}, {@link ValidationWait}), so polls come when the CA is likely
 * done. Thread-safe.
 */
public final class AcmeOrderFlow {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeOrderFlow.class);
    /** An unknown CA is first polled after the 20 ms that the fixed schedule started with. */
    private static final Duration INITIAL_PACE = Duration.ofMillis(20);

    private final String issuerName;
    private final String preferredChain;
    private final Duration timeout;
    /** The longest wait between two polls unless the CA's Retry-After asks for more. */
    private static final Duration MAX_POLL_DELAY = Duration.ofSeconds(1);
    private final Poller poller = new Poller(MAX_POLL_DELAY);
    /** Waits for validation at this issuer's pace (trigger to a valid authorization), learnt over its orders. */
    private final ValidationWait validation = new ValidationWait(poller, Clock.systemUTC(), new PaceEstimate(INITIAL_PACE));
    /** This issuer's pace from finalize to a downloadable certificate. */
    private final PaceEstimate issuancePace = new PaceEstimate(INITIAL_PACE);

    /**
     * @param issuerName the issuer's name, for messages
     * @param preferredChain issuer common name of the preferred alternate chain, or null
     * @param timeout overall deadline of one order
     */
    public AcmeOrderFlow(String issuerName, String preferredChain, Duration timeout) {
        this.issuerName = issuerName;
        this.preferredChain = preferredChain;
        this.timeout = timeout;
    }

    /** A challenge we presented, with the solver's handle and its durable cleanup entry, if recorded. */
    private record Presented(Authorization authorization, Challenge challenge, Identifier identifier,
            Presentation presentation, Optional<PendingCleanup> pending, CleanupIntents intents) {
    }

    /**
     * @param login the account login
     * @param request certificate, key and CSR
     * @param context solvers and events
     * @return the chain, leaf first
     * @throws AutocertException when the order fails
     * @throws InterruptedException when interrupted
     */
    public List<X509Certificate> run(Login login, IssuanceRequest request, IssuanceContext context)
            throws AutocertException, InterruptedException {
        Certificate cert = request.certificate();
        Instant deadline = Instant.now().plus(timeout);
        Order order;
        try {
            boolean renewalInfo = request.replaces().isPresent()
                    && login.getSession().resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
            order = BadNonceRetry.call(() -> {
                OrderBuilder builder = login.newOrder().identifiers(toAcme(cert.identifiers()));
                if (renewalInfo) {
                    builder.replaces(request.replaces().get()); // ARI: lets the CA exempt the renewal from rate limits
                }
                return builder.create();
            });
        } catch (AcmeException e) {
            throw AcmeErrors.translate(e, "creating the order for " + cert.id());
        }
        emit(context, cert, CertificateEvent.Type.ORDER_CREATED, "Created ACME order " + order.getLocation() + " at " + issuerName);

        List<Presented> presented = new ArrayList<>();
        try {
            for (Authorization auth : authorizations(order, cert)) {
                presented.add(present(auth, cert, context));
            }
            for (Presented p : presented) {
                p.presentation().awaitVisible(deadline);
            }
            long triggeredNanos = System.nanoTime(); // before the trigger: the CA may fetch before it is answered
            for (Presented p : presented) {
                trigger(p, cert);
            }
            List<ValidationWait.Awaited> awaited = new ArrayList<>();
            for (Presented p : presented) {
                awaited.add(new ValidationWait.Awaited("validation of " + p.identifier(), authorizationPoll(p),
                        () -> emit(context, cert, CertificateEvent.Type.DOMAIN_VERIFIED, "The CA validated " + p.identifier())));
            }
            if (!validation.await(awaited, presented.stream().map(Presented::presentation).toList(), triggeredNanos,
                    () -> finaliseNow(order, request, cert), deadline)) {
                finalise(order, request, cert, deadline);
            }
            // acme4j invalidates the order after finalising; the first poll is the re-read.
            poller.await("certificate of " + cert.id() + " to be issued", remaining(deadline), issuancePace,
                    () -> pollOrder(order, Status.VALID, cert));
            emit(context, cert, CertificateEvent.Type.ORDER_COMPLETE, "Order " + order.getLocation() + " completed");
            return download(order, cert);
        } finally {
            cleanUp(presented, cert, context.store());
        }
    }

    /**
     * Finalises at once: once every authorization is valid the order is ready, so polling for
     * "ready" first only costs a request. A CA that has not caught up yet answers orderNotReady;
     * then we poll until ready and finalise again.
     */
    private void finalise(Order order, IssuanceRequest request, Certificate cert, Instant deadline)
            throws AutocertException, InterruptedException {
        if (finaliseNow(order, request, cert)) {
            return;
        }
        poller.await("order of " + cert.id() + " to become ready", remaining(deadline), () -> pollOrder(order, Status.READY, cert));
        try {
            BadNonceRetry.call(() -> {
                order.execute(request.csr());
                return null;
            });
        } catch (AcmeException e) {
            throw AcmeErrors.translate(e, "finalising the order for " + cert.id());
        }
    }

    /**
     * Sends the CSR once.
     *
     * @return true when the CA accepted it; false when the order is not ready yet (orderNotReady:
     *     an authorization is still pending, or has failed, which polling it then tells)
     */
    private static boolean finaliseNow(Order order, IssuanceRequest request, Certificate cert) throws AutocertException {
        try {
            BadNonceRetry.call(() -> {
                order.execute(request.csr());
                return null;
            });
            return true;
        } catch (org.shredzone.acme4j.exception.AcmeServerException e) {
            if (!String.valueOf(e.getType()).endsWith(":orderNotReady")) {
                throw AcmeErrors.translate(e, "finalising the order for " + cert.id());
            }
            LOG.debug("Order of {} not ready yet at finalisation; polling", cert.id());
            return false;
        } catch (AcmeException e) {
            throw AcmeErrors.translate(e, "finalising the order for " + cert.id());
        }
    }

    private static List<org.shredzone.acme4j.Identifier> toAcme(List<Identifier> ids) {
        List<org.shredzone.acme4j.Identifier> out = new ArrayList<>();
        for (Identifier id : ids) {
            out.add(id.type() == Identifier.Type.DNS
                    ? org.shredzone.acme4j.Identifier.dns(id.value())
                    : org.shredzone.acme4j.Identifier.ip(id.value()));
        }
        return out;
    }

    private static List<Authorization> authorizations(Order order, Certificate cert) throws AutocertException {
        try {
            List<Authorization> pending = new ArrayList<>();
            for (Authorization auth : order.getAuthorizations()) {
                fetch(auth, "authorization of " + cert.id());
                if (auth.getStatus() != Status.VALID) {
                    pending.add(auth);
                }
            }
            return pending;
        } catch (RuntimeException e) {
            throw new AutocertException("Could not read the authorizations of the order for " + cert.id() + ": " + Messages.describe(e), true, e);
        }
    }

    private static Identifier toOurs(Authorization auth) {
        org.shredzone.acme4j.Identifier acme = auth.getIdentifier();
        if (org.shredzone.acme4j.Identifier.TYPE_IP.equals(acme.getType())) {
            return Identifier.ip(acme.getIP().getHostAddress());
        }
        return Identifier.dns(auth.isWildcard() ? "*." + acme.getDomain() : acme.getDomain());
    }

    /** The challenge types of an authorization that a solver can answer; types unknown here are left out. */
    private static Set<ChallengeType> offeredTypes(Authorization auth) {
        Set<ChallengeType> offered = EnumSet.noneOf(ChallengeType.class);
        for (Challenge c : auth.getChallenges()) {
            for (ChallengeType t : ChallengeType.values()) {
                if (t.acmeName().equals(c.getType())) {
                    offered.add(t);
                }
            }
        }
        return offered;
    }

    private static SolverException noSolver(Authorization auth, Identifier id, Certificate cert, IssuanceContext context) {
        if (context.solvers().select(id, cert).isPresent()) {
            return new SolverException("The CA offers only " + auth.getChallenges().stream().map(Challenge::getType).toList()
                    + " for " + id + " of " + cert.id() + ", and no solver of those types matches it: configure one", false, null);
        }
        return new SolverException("No solver can serve " + id + " of " + cert.id() + (id.type() == Identifier.Type.IP
                ? ": IP addresses are validated by HTTP-01 only: add an HTTP-01 solver"
                : ": add a solver whose selector matches it"), false, null);
    }

    private Presented present(Authorization auth, Certificate cert, IssuanceContext context) throws AutocertException {
        Identifier id = toOurs(auth);
        Set<ChallengeType> offeredTypes = offeredTypes(auth);
        // as cert-manager's solver picker: a solver of a type the CA did not offer here is skipped, not chosen and failed
        Solver solver = context.solvers().select(id, cert, offeredTypes).orElseThrow(() -> noSolver(auth, id, cert, context));
        ChallengeType type = solver.challengeType();
        Optional<Challenge> offered = auth.findChallenge(type.acmeName());
        if (offered.isEmpty() || !(offered.get() instanceof TokenChallenge challenge)) {
            throw new SolverException("The CA's " + type.acmeName() + " challenge for " + id + " carries no token: "
                    + "it cannot be answered", false, null);
        }
        ChallengeRequest req = new ChallengeRequest(type, id, challenge.getJSON().get("token").asString(), challenge.getAuthorization());
        CleanupIntents intents = new CleanupIntents(cert.id(), solver, context.store());
        Presentation presentation;
        try {
            presentation = solver.present(req, intents);
        } catch (SolverException | RuntimeException e) {
            intents.withdraw();
            throw e;
        }
        Optional<PendingCleanup> pending = recordPendingCleanup(presentation, solver, cert, context.store());
        if (pending.isPresent()) {
            intents.forget(pending.get()); // the confirmed handle covers what the intents covered
        }
        emit(context, cert, CertificateEvent.Type.PRESENTED, "Presented " + type.acmeName() + " challenge for " + id);
        return new Presented(auth, challenge, id, presentation, pending, intents);
    }

    /**
     * Writes the presentation's cleanup handle to the store before anything else happens, so that
     * a manager started after a crash removes what was presented. A store that cannot record it
     * is warned about, not refused: the order proceeds, with in-process cleanup only.
     */
    private static Optional<PendingCleanup> recordPendingCleanup(Presentation presentation, Solver solver, Certificate cert,
            CertificateStore store) throws StoreException {
        Optional<String> handle = presentation.cleanupHandle();
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        PendingCleanup pending = new PendingCleanup(cert.id(), solver.solverId(), handle.get());
        if (!(store instanceof CleanupJournal journal)) {
            LOG.warn("{}: if this process dies before the challenge for {} is cleaned up, it stays behind ({} keeps "
                    + "no cleanup journal)", cert.id(), solver.solverId(), store.getClass().getSimpleName());
            return Optional.empty();
        }
        try {
            journal.recordPendingCleanup(pending);
            return Optional.of(pending);
        } catch (StoreException | RuntimeException e) {
            try {
                presentation.close();
            } catch (SolverException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private void trigger(Presented p, Certificate cert) throws AutocertException {
        try {
            if (p.challenge().getStatus() == Status.PENDING) {
                BadNonceRetry.call(() -> {
                    p.challenge().trigger();
                    return null;
                });
            }
        } catch (AcmeException e) {
            throw AcmeErrors.translate(e, "triggering the challenge for " + p.identifier() + " of " + cert.id());
        }
    }

    private Poller.Step authorizationPoll(Presented p) {
        return () -> {
            Optional<Instant> retryAfter = fetch(p.authorization(), "authorization of " + p.identifier());
            Status status = p.authorization().getStatus();
            if (status == Status.VALID) {
                return Poller.Result.finished();
            }
            if (status == Status.PENDING) {
                return Poller.Result.pending(retryAfter);
            }
            throw validationFailure(p);
        };
    }

    private ValidationFailedException validationFailure(Presented p) {
        Problem problem = null;
        try {
            p.challenge().fetch();
            problem = p.challenge().getError().orElse(null);
        } catch (AcmeException e) {
            LOG.debug("Could not fetch the failed challenge for {}", p.identifier(), e);
        }
        return new ValidationFailedException(p.identifier().value(),
                problem == null ? "unknown" : String.valueOf(problem.getType()),
                problem == null ? "authorization became " + p.authorization().getStatus() : AcmeErrors.detail(problem));
    }

    private Poller.Result pollOrder(Order order, Status wanted, Certificate cert) throws AutocertException {
        Optional<Instant> retryAfter = fetch(order, "order of " + cert.id());
        Status status = order.getStatus();
        if (status == wanted || status == Status.VALID) {
            return Poller.Result.finished();
        }
        if (status == Status.PENDING || status == Status.READY || status == Status.PROCESSING) {
            return Poller.Result.pending(retryAfter);
        }
        String detail = order.getError().map(AcmeErrors::detail).orElse("no detail");
        throw new AutocertException("The order for " + cert.id() + " became " + status + ": " + detail, true);
    }

    private static Optional<Instant> fetch(org.shredzone.acme4j.AcmeJsonResource resource, String what) throws AutocertException {
        try {
            return BadNonceRetry.call(resource::fetch);
        } catch (AcmeException e) {
            throw AcmeErrors.translate(e, "fetching the " + what);
        }
    }

    private List<X509Certificate> download(Order order, Certificate cert) throws AutocertException {
        try {
            org.shredzone.acme4j.Certificate acmeCert = order.getCertificate();
            BadNonceRetry.call(() -> {
                acmeCert.download();
                return null;
            });
            if (preferredChain != null && !acmeCert.isIssuedBy(preferredChain)) {
                Optional<org.shredzone.acme4j.Certificate> alternate = acmeCert.findCertificate(preferredChain);
                if (alternate.isPresent()) {
                    LOG.debug("Using the alternate chain issued by {} for {}", preferredChain, cert.id());
                    return alternate.get().getCertificateChain();
                }
                LOG.info("No chain issued by {} offered for {}; using the default chain", preferredChain, cert.id());
            }
            return acmeCert.getCertificateChain();
        } catch (AcmeException e) {
            throw AcmeErrors.translate(e, "downloading the certificate for " + cert.id());
        }
    }

    private static void cleanUp(List<Presented> presented, Certificate cert, CertificateStore store) {
        for (Presented p : presented) {
            try {
                p.presentation().close();
            } catch (SolverException | RuntimeException e) {
                LOG.warn("Could not clean up the challenge for {} of {}{}: {}", p.identifier(), cert.id(),
                        p.pending().isPresent() ? " (kept for a later cleanUpLeftovers)" : "", Messages.describe(e));
                continue;
            }
            p.intents().forget();
            if (p.pending().isPresent()) {
                try {
                    ((CleanupJournal) store).removePendingCleanup(p.pending().get()); // recorded, so a journal
                } catch (StoreException | RuntimeException e) {
                    LOG.warn("Cleaned up the challenge for {} of {}, but could not remove its entry from the store: {}",
                            p.identifier(), cert.id(), Messages.describe(e));
                }
            }
        }
    }

    private static Duration remaining(Instant deadline) {
        Duration d = Duration.between(Instant.now(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private void emit(IssuanceContext context, Certificate cert, CertificateEvent.Type type, String message) {
        context.events().onEvent(CertificateEvent.builder(type, cert.id(), message, context.clock().instant())
                .issuerName(issuerName).build());
    }
}
