package dev.autocert4j.examples;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 serving the certificates of a {@link CertificateManager}: the connector's
 * {@link SslContextFactory.Server} is given {@link CertificateManager#sslContext()} instead of a
 * key store, so the manager's key manager chooses the certificate by SNI in every handshake and a
 * renewed certificate is served from the next handshake on, without restarting Jetty (and without
 * Jetty's key store scanner).
 *
 * <pre>{@code
 * SslContextFactory.Server tls = new SslContextFactory.Server();
 * tls.setSslContext(manager.sslContext());
 * ServerConnector https = new ServerConnector(server, tls, new HttpConnectionFactory(httpsConfig));
 * }</pre>
 */
public final class JettyExample {
    private JettyExample() {
    }

    /**
     * Starts Jetty with one HTTPS connector that answers every request with {@code 200} and a line
     * naming the certificate it presented.
     *
     * @param manager the manager whose certificates are served; it stays the caller's to close
     * @param address where to listen; port 0 for any free port
     * @return the running server
     * @throws Exception when Jetty cannot start, as when the address cannot be bound
     */
    public static ExampleServer start(CertificateManager manager, InetSocketAddress address) throws Exception {
        requireNonNull(manager, "manager");
        requireNonNull(address, "address");
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("jetty-example");
        Server server = new Server(threads);

        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(manager.sslContext());

        HttpConfiguration httpsConfig = new HttpConfiguration();
        // Puts the TLS session into the request, and checks that Host matches the certificate served.
        httpsConfig.addCustomizer(new SecureRequestCustomizer());
        ServerConnector https = new ServerConnector(server, 1, 1,
                new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(httpsConfig));
        https.setHost(address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress());
        https.setPort(address.getPort());
        server.addConnector(https);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                EndPoint.SslSessionData tlsSession = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
                String body = Greeting.body("Jetty", tlsSession == null ? null : tlsSession.sslSession());
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        InetSocketAddress bound = new InetSocketAddress(address.getAddress(), https.getLocalPort());
        return new ExampleServer() {
            @Override
            public InetSocketAddress address() {
                return bound;
            }

            @Override
            public void close() {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException("Jetty did not stop: " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * Runs the example against a local Pebble CA: see {@link ExampleMain}.
     *
     * @param args optional: the port (default 8443) and how many seconds to run (default: until stopped)
     * @throws Exception when anything fails
     */
    public static void main(String[] args) throws Exception {
        ExampleMain.run("Jetty", JettyExample::start, args);
    }
}
