package dev.autocert4j.solver.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Mounts an {@link Http01Solver} into a JDK {@code com.sun.net.httpserver.HttpServer}:
 * <pre>{@code
 * server.createContext(Http01Solver.PATH_PREFIX, JdkHttp01Handler.of(solver));
 * }</pre>
 * For any other server (Jetty, Netty, a servlet) call {@link Http01Solver#respond(String)} instead.
 *
 * <p>This is the only public type of autocert4j whose signature names a {@code jdk.httpserver}
 * type, so that the rest of the API does not make every user read that module. A modular
 * application that uses it declares {@code requires jdk.httpserver;} itself (it has to anyway, to
 * create the server). Thread-safe.
 */
// The exports lint asks for "requires transitive jdk.httpserver"; leaving it out is the point (see above).
@SuppressWarnings("exports")
public final class JdkHttp01Handler {
    private JdkHttp01Handler() {
    }

    /**
     * @param solver the solver whose presented tokens to serve
     * @return a handler for {@code /.well-known/acme-challenge/}: {@code 200 text/plain} with the key
     *     authorization for a presented token, {@code 404} for any other path, {@code 405} for
     *     methods other than GET and HEAD
     */
    public static HttpHandler of(Http01Solver solver) {
        requireNonNull(solver, "solver");
        return exchange -> handle(solver, exchange);
    }

    private static void handle(Http01Solver solver, HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Optional<String> body = solver.respond(exchange.getRequestURI().getPath()); // a fetch the CA's validation signal counts
            if (body.isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] bytes = body.get().getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            if ("HEAD".equals(method)) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
