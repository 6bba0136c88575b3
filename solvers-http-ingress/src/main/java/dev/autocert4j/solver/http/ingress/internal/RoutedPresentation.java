package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.internal.http.FetchedToken;
import dev.autocert4j.internal.http.ForwardingFetchedToken;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverException;
import java.time.Instant;
import java.util.Optional;

/**
 * One challenge routed through an Ingress: visible once the self-check answers, its route's handle
 * journalled for a later process, the route and the in-process answer removed on close. Where the
 * in-process answer records the CA's fetches (the responder's validation signal), so does this
 * presentation, by asking it: a fetch that reached another replica is seen by neither, and the order
 * waits for the CA's learnt pace.
 */
public class RoutedPresentation implements Presentation {
    private final ChallengeRequest challenge;
    private final Route route;
    private final Routes routes;
    private final Presentation local;
    private final VisibilityCheck visibility;

    private RoutedPresentation(ChallengeRequest challenge, Route route, Routes routes, Presentation local,
            VisibilityCheck visibility) {
        this.challenge = challenge;
        this.route = route;
        this.routes = routes;
        this.local = local;
        this.visibility = visibility;
    }

    /**
     * @param challenge the challenge presented
     * @param route the route made for it
     * @param routes where the route is removed on close
     * @param local the in-process answer, closed on close
     * @param visibility the self-check (or fixed wait)
     * @return the presentation; a {@link FetchedToken} exactly when {@code local} is one
     */
    public static RoutedPresentation of(ChallengeRequest challenge, Route route, Routes routes, Presentation local,
            VisibilityCheck visibility) {
        return local instanceof FetchedToken fetched
                ? new Fetched(challenge, route, routes, local, visibility, fetched)
                : new RoutedPresentation(challenge, route, routes, local, visibility);
    }

    @Override
    public void awaitVisible(Instant deadline) throws SolverException, InterruptedException {
        visibility.await(route.host(), challenge.token(), challenge.keyAuthorization(), deadline);
    }

    @Override
    public Optional<String> cleanupHandle() {
        return Optional.of(route.handle());
    }

    @Override
    public void close() throws SolverException {
        try {
            routes.remove(route);
        } finally {
            local.close();
        }
    }

    /** A routed presentation whose in-process answer records fetches: it reports exactly those. */
    private static final class Fetched extends RoutedPresentation implements ForwardingFetchedToken {
        private final FetchedToken fetched;

        Fetched(ChallengeRequest challenge, Route route, Routes routes, Presentation local, VisibilityCheck visibility,
                FetchedToken fetched) {
            super(challenge, route, routes, local, visibility);
            this.fetched = fetched;
        }

        @Override
        public FetchedToken fetchedToken() {
            return fetched;
        }
    }
}
