package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.solver.http.Http01Solver;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.core.Ordered;

/**
 * Answers HTTP-01 challenges in a Spring MVC application ({@code autocert4j.http01.mode=application}):
 * {@code GET} or {@code HEAD /.well-known/acme-challenge/{token}} gets the key authorization of a token being
 * presented, or 404; every other request passes on untouched. Runs first, before any security filter, since the
 * CA asks anonymously. The work per request is a lookup in memory. Thread-safe.
 */
final class Http01ChallengeFilter implements Filter, Ordered {
    private final Http01Solver solver;

    Http01ChallengeFilter(Http01Solver solver) {
        this.solver = requireNonNull(solver, "solver");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer) {
            String path = pathWithinApplication(http);
            if (Http01ChallengeRequests.isChallengeRequest(http.getMethod(), path)) {
                respond(http.getMethod(), path, answer);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private void respond(String method, String path, HttpServletResponse answer) throws IOException {
        Optional<String> keyAuthorization = solver.respond(path);
        if (keyAuthorization.isEmpty()) {
            // A bare status, not sendError: no error page is rendered for a guessed token.
            answer.setStatus(HttpServletResponse.SC_NOT_FOUND);
            answer.setContentLength(0);
            return;
        }
        byte[] body = keyAuthorization.get().getBytes(StandardCharsets.US_ASCII);
        answer.setStatus(HttpServletResponse.SC_OK);
        answer.setContentType("text/plain");
        answer.setContentLength(body.length);
        if ("GET".equals(method)) {
            answer.getOutputStream().write(body);
        }
    }

    private static String pathWithinApplication(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
