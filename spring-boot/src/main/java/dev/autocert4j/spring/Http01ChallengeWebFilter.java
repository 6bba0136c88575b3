package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.solver.http.Http01Solver;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers HTTP-01 challenges in a WebFlux application ({@code autocert4j.http01.mode=application}):
 * {@code GET} or {@code HEAD /.well-known/acme-challenge/{token}} gets the key authorization of a token being
 * presented, or 404; every other request passes on untouched. Runs first, before any security filter, since the
 * CA asks anonymously. The work per request is a lookup in memory. Thread-safe.
 */
final class Http01ChallengeWebFilter implements WebFilter, Ordered {
    private final Http01Solver solver;

    Http01ChallengeWebFilter(Http01Solver solver) {
        this.solver = requireNonNull(solver, "solver");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!Http01ChallengeRequests.isChallengeRequest(method.name(), path)) {
            return chain.filter(exchange);
        }
        ServerHttpResponse response = exchange.getResponse();
        Optional<String> keyAuthorization = solver.respond(path);
        if (keyAuthorization.isEmpty()) {
            response.setStatusCode(HttpStatus.NOT_FOUND);
            return response.setComplete();
        }
        byte[] body = keyAuthorization.get().getBytes(StandardCharsets.US_ASCII);
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
        response.getHeaders().setContentLength(body.length);
        if (method == HttpMethod.HEAD) {
            return response.setComplete();
        }
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
