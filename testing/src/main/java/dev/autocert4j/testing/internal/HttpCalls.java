package dev.autocert4j.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Blocking HTTP calls to the test servers' control interfaces, with unchecked failures. */
public final class HttpCalls {

    /** How long a call to a local test server may take, connect and answer each. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private HttpCalls() {
    }

    /**
     * @param <T> the body type
     * @param client the client
     * @param request the request
     * @param handler how to read the body
     * @return the response, whatever its status
     * @throws UncheckedIOException if the call fails
     * @throws IllegalStateException if the thread is interrupted (its flag is set again)
     */
    public static <T> HttpResponse<T> send(HttpClient client, HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            // The JDK client's ConnectException has no message: its class says what happened.
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + (e.getMessage() == null
                    ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }
}
