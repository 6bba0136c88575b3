package dev.autocert4j.testing.kubernetes;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mock-server watch whose end is handled off the Vert.x event loop. fabric8 8.0.0's {@code WatchEventsListener}
 * waits on the event loop, in {@code onClosed}/{@code onFailure}, for its sender thread to finish, while that thread
 * waits for the event loop to write the watch event it is sending ({@code VertxMockWebSocket.send} awaits the write
 * when called off a Vert.x context). A watch closed while an event is on its way (say, a solver stopped right after
 * the Ingress it watches was deleted) so blocked the server for 10 s and failed its shutdown ("Unable to close
 * MockWebServer"). Before the end is handed off, the watch leaves the dispatcher's set, and the end waits for the
 * changes that may still be sending to it (see {@link ServerWatches}). Everything else is passed straight through, on
 * the thread it arrives on. It also keeps the server's count of open watches: one from the WebSocket's open to its
 * close or failure, whichever comes first.
 */
final class WatchCloseOffEventLoop extends WebSocketListener {
    private final WebSocketListener watch;
    private final Executor closer;
    private final ServerWatches watches;
    private final AtomicBoolean open = new AtomicBoolean();

    WatchCloseOffEventLoop(WebSocketListener watch, Executor closer, ServerWatches watches) {
        this.watch = watch;
        this.closer = closer;
        this.watches = watches;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        watch.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        if (open.compareAndSet(false, true)) {
            watches.opened();
        }
        watch.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        watch.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
        watch.onMessage(webSocket, bytes);
    }

    @Override
    public void onPing(WebSocket webSocket, byte[] bytes) {
        watch.onPing(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        watch.onClosing(webSocket, code, reason); // only queues the close behind the pending sends: no wait
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        ended();
        offTheEventLoop(() -> watch.onClosed(webSocket, code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        ended();
        offTheEventLoop(() -> watch.onFailure(webSocket, t, response));
    }

    private void ended() {
        if (open.compareAndSet(true, false)) {
            watches.closed();
        }
    }

    private void offTheEventLoop(Runnable end) {
        watches.forget(watch);
        Runnable afterChanges = () -> {
            watches.awaitChangesUnderWay();
            end.run();
        };
        try {
            closer.execute(afterChanges);
        } catch (RejectedExecutionException stopped) {
            afterChanges.run(); // the server has stopped: no event loop is left to block
        }
    }
}
