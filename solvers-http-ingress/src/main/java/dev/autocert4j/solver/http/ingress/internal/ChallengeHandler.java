package dev.autocert4j.solver.http.ingress.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/** A JDK {@code HttpHandler} answering GETs of challenge paths from a responder function; 404 otherwise. Stateless. */
public final class ChallengeHandler implements HttpHandler {
    private final Function<String, Optional<String>> responder;

    /** @param responder what to answer for a request path, or empty for a 404 */
    public ChallengeHandler(Function<String, Optional<String>> responder) {
        this.responder = responder;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<String> body = "GET".equals(exchange.getRequestMethod())
                    ? responder.apply(exchange.getRequestURI().getPath()) : Optional.empty();
            byte[] bytes = body.orElse("not found\n").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(body.isPresent() ? 200 : 404, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
