package dev.autocert4j.internal.acme;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.toolbox.JSON;

/**
 * acme4j's generic provider with the HTTP client autocert4j wants: it trusts the configured
 * anchors, speaks HTTP/1.1 with keep-alive, and runs the response work on the thread that received
 * it; and a directory cache for CAs that send no caching headers (Pebble, some private CAs): acme4j
 * would otherwise fetch the directory again before every order, one request in eight.
 */
final class AcmeHttpProvider extends GenericAcmeProvider {
    private static final Duration DIRECTORY_CACHE = Duration.ofMinutes(10);

    /**
     * Runs each task where it is handed over. The JDK's HTTP client runs its stages inline already,
     * except those its selector thread hands over (decrypting a TLS record, parsing an HTTP/1.1
     * response, passing body bytes on); by default each of those wakes one of its worker threads,
     * a thread hand-off and a context switch per step of every request. acme4j (4.0) only calls
     * {@code HttpClient.send(request, BodyHandlers.ofInputStream())}: none of those stages blocks
     * (the input stream's subscriber takes one buffer at a time, without waiting), so they can run
     * on the selector thread itself. README "Performance" has the figures.
     */
    static final Executor INLINE = Runnable::run;

    private final SSLContext sslContext;

    AcmeHttpProvider(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    public JSON directory(Session session, URI serverUri) throws AcmeException {
        JSON json = super.directory(session, serverUri);
        if (json != null && session.getDirectoryExpires() == null) {
            session.setDirectoryExpires(ZonedDateTime.now().plus(DIRECTORY_CACHE));
        }
        return json;
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        // HTTP/1.1 with keep-alive: the JDK's HTTP/2 client (frames, HPACK, flow control, tasks per
        // stream) was a quarter of the client's CPU at concurrency 16 (README "Performance").
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(settings.getTimeout())
                .proxy(settings.getProxySelector())
                .sslContext(sslContext);
        if (settings.getAuthenticator() != null) {
            // A proxy authenticator is the host's code and may block: it keeps the client's own workers.
            b.authenticator(settings.getAuthenticator());
        } else {
            b.executor(INLINE);
        }
        return b.build();
    }
}
