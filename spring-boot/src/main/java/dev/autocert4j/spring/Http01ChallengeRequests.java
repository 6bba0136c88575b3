package dev.autocert4j.spring;

import dev.autocert4j.solver.http.Http01Solver;

/** Which requests the HTTP-01 filters answer; free of servlet and WebFlux types, so that either filter loads alone. */
final class Http01ChallengeRequests {
    private Http01ChallengeRequests() {
    }

    /**
     * @param method the request method
     * @param path the request path within the application
     * @return whether the request asks for a challenge response: {@code GET} or {@code HEAD} under the ACME path
     */
    static boolean isChallengeRequest(String method, String path) {
        return ("GET".equals(method) || "HEAD".equals(method)) && path.startsWith(Http01Solver.PATH_PREFIX);
    }
}
