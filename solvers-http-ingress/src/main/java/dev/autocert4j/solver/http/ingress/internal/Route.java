package dev.autocert4j.solver.http.ingress.internal;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.http.Http01Solver;
import java.util.regex.Pattern;

/**
 * What one presentation routed: enough to remove it from another process.
 *
 * @param mode how it was routed
 * @param namespace the Ingress's namespace
 * @param ingress the Ingress's name (existing or temporary)
 * @param host the challenged host
 * @param token the challenge token
 */
public record Route(RouteMode mode, String namespace, String ingress, String host, String token) {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /**
     * @param token a challenge token
     * @return whether it is base64url, as every ACME token: nothing else is routed or looked up
     */
    public static boolean isToken(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    /**
     * @param host a host from a cleanup handle
     * @return whether it is a lower-case DNS name without wildcard, as every host the solver routes
     */
    public static boolean isHost(String host) {
        return host != null && HOST.matcher(host).matches();
    }

    /** @return the cleanup handle: {@code v1|MODE|namespace|ingress|host|token} */
    public String handle() {
        return String.join("|", "v1", mode.name(), namespace, ingress, host, token);
    }

    /**
     * @param handle a handle from {@link #handle()}
     * @return the route it names
     * @throws SolverException when it is no such handle
     */
    public static Route parse(String handle) throws SolverException {
        String[] p = requireNonNull(handle, "handle").split("\\|");
        if (p.length != 6 || !p[0].equals("v1")) {
            throw new SolverException("Not a cleanup handle of the Ingress HTTP-01 solver: " + handle, false, null);
        }
        try {
            return new Route(RouteMode.valueOf(p[1]), p[2], p[3], p[4], p[5]);
        } catch (IllegalArgumentException e) {
            throw new SolverException("Not a cleanup handle of the Ingress HTTP-01 solver: " + handle, false, e);
        }
    }

    /** @return the challenge path, {@code /.well-known/acme-challenge/<token>} */
    public String path() {
        return Http01Solver.PATH_PREFIX + token;
    }
}
