package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.Http01Solver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits until the challenge answers through the ingress controller, before the CA is asked to
 * look: GETs it (the {@link SelfCheck}) with a growing pause until it answers the key
 * authorization, or just waits a fixed time for clusters that cannot reach themselves (NAT
 * hairpin). A redirect is not followed: it is kept asking (a new route may not be live yet, and the
 * host's other Ingress may redirect until it is), and a failure that ends on one says so. Thread-safe.
 */
public final class VisibilityCheck {
    private final Duration selfCheckTimeout;
    private final InetSocketAddress selfCheckAddress;
    private final Duration fixedWait;
    private final String routes;
    private final String service;

    /**
     * @param selfCheckTimeout how long the self-check tries
     * @param selfCheckAddress where it connects, or null for the challenged host on port 80
     * @param fixedWait how long to wait instead of self-checking, or null to self-check
     * @param routes what the ingress controller must serve, for messages
     * @param service the Service as {@code namespace/name:port}, for messages
     */
    public VisibilityCheck(Duration selfCheckTimeout, InetSocketAddress selfCheckAddress, Duration fixedWait, String routes,
            String service) {
        this.selfCheckTimeout = selfCheckTimeout;
        this.selfCheckAddress = selfCheckAddress;
        this.fixedWait = fixedWait;
        this.routes = routes;
        this.service = service;
    }

    /**
     * @param host the challenged host
     * @param token the challenge token
     * @param keyAuthorization the expected answer
     * @param deadline when the caller stops waiting
     * @throws SolverException (retryable) when the self-check never saw the key authorization
     * @throws InterruptedException when interrupted while waiting
     */
    public void await(String host, String token, String keyAuthorization, Instant deadline)
            throws SolverException, InterruptedException {
        if (fixedWait != null) {
            long millis = Math.min(fixedWait.toMillis(), Math.max(0, Duration.between(Instant.now(), deadline).toMillis()));
            Thread.sleep(millis);
            return;
        }
        Instant until = Instant.now().plus(selfCheckTimeout);
        if (until.isAfter(deadline)) {
            until = deadline;
        }
        InetSocketAddress address = selfCheckAddress == null ? new InetSocketAddress(host, 80) : selfCheckAddress;
        String path = Http01Solver.PATH_PREFIX + token;
        long pause = 20;
        SelfCheck.Answer last;
        while (true) {
            last = SelfCheck.get(address, host, path, Duration.ofSeconds(5));
            if (last.status() == 200 && last.body().equals(keyAuthorization)) {
                return;
            }
            if (!Instant.now().plusMillis(pause).isBefore(until)) {
                break;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
        String asked = "Self-check failed: GET http://" + host + path + " through " + address.getHostString() + ":"
                + address.getPort() + " answered " + last;
        if (last.isRedirect()) {
            // Let's Encrypt follows a redirect (to http or https on ports 80/443, ignoring the certificate); this check
            // does not, so it cannot tell whether the CA will read the key authorization there. It says so instead of
            // passing on a guess.
            throw new SolverException(asked + ". The ingress controller redirects the challenge (most often HTTP to HTTPS). "
                    + "Let's Encrypt follows the redirect, to port 443 without checking the certificate, but this self-check "
                    + "does not, so it cannot confirm the challenge. Exempt /.well-known/acme-challenge/ from the redirect "
                    + "(ingress-nginx does by default: no-tls-redirect-locations; or annotate the Ingress with "
                    + "nginx.ingress.kubernetes.io/ssl-redirect: \"false\"), or, if the HTTPS side serves " + routes
                    + " too, set fixedWait(...) to skip the self-check", true, null);
        }
        throw new SolverException(asked + " instead of the key authorization. Check that the ingress "
                + "controller serves " + routes + " and routes to Service " + service + ", whose pods must answer with this "
                + "solver's handler(); a cluster that cannot reach itself needs fixedWait(...) instead", true, null);
    }
}
