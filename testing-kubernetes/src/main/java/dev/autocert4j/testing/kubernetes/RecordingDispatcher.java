package dev.autocert4j.testing.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The CRUD dispatcher behind the {@linkplain ApiServerValidation checks a real API server makes}, recording each
 * request before answering it, except those of the
 * inspecting client (recognised by its user agent). With the system property
 * {@value #LOG_PROPERTY} set, each distinct {@code verb group/resource} of this JVM is also
 * appended to that file, which the first write of the JVM empties.
 */
final class RecordingDispatcher extends KubernetesCrudDispatcher {
    static final String LOG_PROPERTY = "autocert4j.kubernetes.requestLog";
    static final String INSPECTOR_AGENT = "autocert4j-test-inspector";
    private static final Set<String> LOGGED = new HashSet<>();
    private static boolean logStarted;

    private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
    private final ApiServerValidation validation = new ApiServerValidation();
    private final AccessReviews reviews = new AccessReviews();
    /** Which requests of the code under test are answered late, and how late; none unless a test says so. */
    private volatile SlowAnswers slowAnswers = new SlowAnswers(request -> false, Duration.ZERO);
    /** Ends watches off the event loop (see {@link WatchCloseOffEventLoop}); daemon threads, idle ones expire. */
    private final ExecutorService watchCloser = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mock-api-watch-close");
        t.setDaemon(true);
        return t;
    });
    private final ServerWatches watches = new ServerWatches(this);

    @Override
    public MockResponse handleWatch(String path) {
        MockResponse response = super.handleWatch(path);
        WebSocketListener watch = response.getWebSocketListener();
        return watch == null ? response : response.withWebSocketUpgrade(new WatchCloseOffEventLoop(watch, watchCloser, watches));
    }

    /** Lets the watches' ends that are under way finish, and takes no more (the server is stopping). */
    void shutdownWatchCloser() {
        watchCloser.shutdown();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String agent = request.getHeader("User-Agent");
        if (agent == null || !agent.startsWith(INSPECTOR_AGENT)) {
            ApiRequest seen = ApiRequest.of(request.getMethod(), request.getPath());
            requests.add(seen);
            log(seen);
            SlowAnswers slow = slowAnswers;
            if (!slow.delay().isZero() && slow.which().test(seen)) {
                // Served now, answered late (a timer of the server's event loop, which stays free meanwhile).
                return answer(request).setBodyDelay(slow.delay());
            }
        }
        return answer(request);
    }

    void answerLate(Predicate<ApiRequest> which, Duration delay) {
        slowAnswers = new SlowAnswers(which, delay);
    }

    private record SlowAnswers(Predicate<ApiRequest> which, Duration delay) {
    }

    private MockResponse answer(RecordedRequest request) {
        byte[] body = request.getBody() == null ? null : request.getBody().getBytes();
        if (AccessReviews.isReview(request.getMethod(), request.getPath())) {
            return reviews.answer(body == null ? new byte[0] : body);
        }
        return validation.refusal(request.getMethod(), request.getPath(), request.getHeader("Content-Type"), body)
                .orElseGet(() -> super.dispatch(request));
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return watches.change(() -> super.handleCreate(request));
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return watches.change(() -> super.handleUpdate(request));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return watches.change(() -> super.handlePatch(request));
    }

    @Override
    public MockResponse handleDelete(String path) {
        return watches.change(() -> super.handleDelete(path));
    }

    int openWatches() {
        return watches.open();
    }

    AccessReviews reviews() {
        return reviews;
    }

    List<ApiRequest> requests() {
        return List.copyOf(requests);
    }

    private static void log(ApiRequest request) {
        String file = System.getProperty(LOG_PROPERTY);
        if (file == null || file.isBlank() || request.resource().isEmpty()) {
            return;
        }
        String line = request.verb() + " " + request.groupResource();
        synchronized (LOGGED) {
            if (!LOGGED.add(line)) {
                return;
            }
            try {
                Path path = Path.of(file);
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                Files.writeString(path, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        logStarted ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
                logStarted = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the request log " + file, e);
            }
        }
    }
}
