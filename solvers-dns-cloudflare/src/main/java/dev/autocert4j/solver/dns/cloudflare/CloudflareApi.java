package dev.autocert4j.solver.dns.cloudflare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autocert4j.solver.SolverException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cloudflare v4 API as {@link CloudflareDnsProvider} speaks it: one call with its authentication, the
 * response envelope, retries after 5xx and I/O errors, waits for 429's {@code Retry-After}, and errors that name
 * the missing permission. Credentials never reach a message. Thread-safe.
 */
final class CloudflareApi {
    private static final Logger LOG = LoggerFactory.getLogger(CloudflareDnsProvider.class);
    /** Cloudflare's error code for a POST of a record whose type, name and content exist: "An identical record already exists." */
    static final int IDENTICAL_RECORD_EXISTS = 81058;

    private final URI baseUrl;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration maxRetryAfter;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    /** Waits between retries; tests record the waits instead of sleeping. */
    @FunctionalInterface
    interface Sleeper {
        /** Sleeps on the calling thread. */
        Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    /** Authentication headers; never printed. */
    static final class Credentials {
        private final String token;
        private final String key;
        private final String email;

        Credentials(String token, String key, String email) {
            this.token = token;
            this.key = key;
            this.email = email;
        }

        void apply(HttpRequest.Builder request) {
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            } else {
                request.header("X-Auth-Key", key).header("X-Auth-Email", email);
            }
        }

        String email() {
            return email;
        }

        String kind() {
            return token != null ? "API token" : "global API key";
        }

        @Override
        public String toString() {
            return kind() + " (redacted)";
        }
    }

    CloudflareApi(URI baseUrl, HttpClient http, Duration requestTimeout, int maxRetries, Duration maxRetryAfter,
            Sleeper sleeper, Clock clock) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.maxRetries = maxRetries;
        this.maxRetryAfter = maxRetryAfter;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** Looks up whether a call that failed without an answer took effect anyway. */
    @FunctionalInterface
    interface Recheck {
        /** @return the envelope to answer with if it did; empty to retry the call */
        Optional<JsonNode> tookEffect() throws SolverException;
    }

    /**
     * One API call with retries.
     *
     * @return the envelope of a successful answer; empty for a 404 when {@code notFoundIsFine}
     */
    Optional<JsonNode> call(String method, String path, JsonNode body, Credentials auth, String permission,
            String what, boolean notFoundIsFine) throws SolverException {
        return call(method, path, body, auth, permission, what, notFoundIsFine, null);
    }

    /**
     * One API call with retries; a call that is not idempotent (a POST) passes a {@code recheck}, asked after
     * every I/O error and 5xx before the call is retried: the server may have acted on a request whose answer
     * was lost, and a blind retry would act twice. The {@code recheck} is also asked when Cloudflare answers that an
     * identical record exists ({@value #IDENTICAL_RECORD_EXISTS}): a retried POST meets the record the first one
     * created after all.
     */
    Optional<JsonNode> call(String method, String path, JsonNode body, Credentials auth, String permission,
            String what, boolean notFoundIsFine, Recheck recheck) throws SolverException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(requestTimeout)
                .header("Accept", "application/json");
        auth.apply(builder);
        if (body != null) {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpRequest request = builder.build();
        int failures = 0;
        int rateLimited = 0;
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (++failures > maxRetries) {
                    throw new SolverException("No answer from Cloudflare (" + baseUrl.getAuthority() + ") " + what + " after "
                            + failures + " attempts: " + describe(e), true, e);
                }
                Optional<JsonNode> done = recheck != null ? recheck.tookEffect() : Optional.empty();
                if (done.isPresent()) {
                    LOG.debug("No answer {}, but it took effect", what);
                    return done;
                }
                pause(backoff(failures), what);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SolverException("Interrupted while " + what, true, e);
            }
            int status = response.statusCode();
            if (status == 429) {
                if (++rateLimited > maxRetries) {
                    throw new SolverException("Cloudflare kept rate limiting (429) " + what + " after " + rateLimited
                            + " attempts; try again later", true, null);
                }
                Duration wait = retryAfter(response);
                LOG.debug("Cloudflare answered 429 {}; retrying after {}", what, wait);
                pause(wait, what);
                continue;
            }
            if (status >= 500) {
                if (++failures > maxRetries) {
                    throw new SolverException("Cloudflare failed " + what + " (HTTP " + status + errors(parse(response.body()))
                            + ") " + failures + " times; try again later", true, null);
                }
                Optional<JsonNode> done = recheck != null ? recheck.tookEffect() : Optional.empty();
                if (done.isPresent()) {
                    LOG.debug("Cloudflare answered {} {}, but it took effect", status, what);
                    return done;
                }
                LOG.debug("Cloudflare answered {} {}; retrying", status, what);
                pause(backoff(failures), what);
                continue;
            }
            if (status == 404 && notFoundIsFine) {
                return Optional.empty();
            }
            JsonNode envelope = parse(response.body());
            if (status / 100 == 2 && envelope != null && envelope.path("success").asBoolean(false)) {
                return Optional.of(envelope);
            }
            if (recheck != null && hasError(envelope, IDENTICAL_RECORD_EXISTS)) {
                // The record this POST asks for exists: most often because an earlier attempt whose answer was lost
                // (5xx, timeout) did land after all. Take that record instead of failing with it left behind.
                Optional<JsonNode> done = recheck.tookEffect();
                if (done.isPresent()) {
                    LOG.debug("Cloudflare answered {} {}: the identical record exists, taking it", IDENTICAL_RECORD_EXISTS, what);
                    return done;
                }
                throw new SolverException("Cloudflare refused " + what + " (HTTP " + status + errors(envelope) + ") but does not "
                        + "list that identical record yet; try again", true, null);
            }
            String hint = hint(status, envelope, auth, permission);
            throw new SolverException("Cloudflare refused " + what + " (HTTP " + status + errors(envelope) + ")" + hint,
                    status == 409, null);
        }
    }

    /** What to change, as far as the answer tells: the email or key of a global key, or a token's permission. */
    private static String hint(int status, JsonNode envelope, Credentials auth, String permission) {
        if (auth.email() != null && (hasError(envelope, 9103) || hasError(envelope, 6102))) {
            // Cloudflare's "Unknown X-Auth-Key or X-Auth-Email" / "Invalid format for X-Auth-Email header": a global
            // key has every permission, so the pair itself is wrong, most often the email.
            return ": Cloudflare does not accept the email " + auth.email() + " with this global API key. Check the email "
                    + "first: it must be the address the Cloudflare account logs in with (the key's owner); then that the key "
                    + "is that account's Global API Key (My Profile → API Tokens). A global API key has every permission";
        }
        if (auth.email() != null && hasError(envelope, 6103)) {
            return ": the global API key is malformed: paste the Global API Key from My Profile → API Tokens exactly";
        }
        if (status == 403 || status == 401) {
            return ": the " + auth.kind() + " lacks the permission " + permission + " (or is invalid); grant it in the Cloudflare dashboard";
        }
        return "";
    }

    private static boolean hasError(JsonNode envelope, int code) {
        if (envelope == null) {
            return false;
        }
        for (JsonNode e : envelope.path("errors")) {
            if (e.path("code").asInt() == code) {
                return true;
            }
            for (JsonNode chained : e.path("error_chain")) {
                if (chained.path("code").asInt() == code) {
                    return true;
                }
            }
        }
        return false;
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String errors(JsonNode envelope) {
        if (envelope == null || !envelope.path("errors").isArray() || envelope.path("errors").isEmpty()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : envelope.path("errors")) {
            out.add("[" + e.path("code").asText("?") + "] " + e.path("message").asText(""));
        }
        return ": " + String.join("; ", out);
    }

    private Duration retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        Duration wait = Duration.ofSeconds(1);
        if (header.isPresent()) {
            String v = header.get().strip();
            try {
                wait = Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException notSeconds) {
                try {
                    wait = Duration.between(clock.instant(),
                            ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                } catch (DateTimeParseException ignored) {
                    // keep the default
                }
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait;
    }

    /** The exception's message, or its class when it has none (the JDK client's ConnectException has none). */
    private static String describe(IOException e) {
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static Duration backoff(int failures) {
        return Duration.ofMillis(Math.min(5000, 200L << Math.min(failures - 1, 5)));
    }

    private void pause(Duration wait, String what) throws SolverException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SolverException("Interrupted while " + what, true, e);
        }
    }
}
