package dev.autocert4j.examples;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.CertificateManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's own {@link HttpsServer} serving the certificates of a {@link CertificateManager}. The
 * server is configured once with {@link CertificateManager#sslContext()}; the context's key
 * manager chooses the certificate by SNI in every handshake, so a renewed certificate is served
 * from the next handshake on, without restarting the server.
 *
 * <pre>{@code
 * HttpsServer server = HttpsServer.create(new InetSocketAddress(8443), 0);
 * server.setHttpsConfigurator(new HttpsConfigurator(manager.sslContext()));
 * }</pre>
 */
public final class JdkHttpsServerExample {
    private JdkHttpsServerExample() {
    }

    /**
     * Starts an HTTPS server that answers every request with {@code 200} and a line naming the
     * certificate it presented.
     *
     * @param manager the manager whose certificates are served; it stays the caller's to close
     * @param address where to listen; port 0 for any free port
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static ExampleServer start(CertificateManager manager, InetSocketAddress address) throws IOException {
        requireNonNull(manager, "manager");
        requireNonNull(address, "address");
        HttpsServer server = HttpsServer.create(address, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(manager.sslContext()));
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = Greeting.body("the JDK HttpsServer", ((HttpsExchange) exchange).getSSLSession())
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        ExecutorService workers = Executors.newFixedThreadPool(4);
        server.setExecutor(workers);
        server.start();
        InetSocketAddress bound = server.getAddress();
        return new ExampleServer() {
            private boolean closed;

            @Override
            public InetSocketAddress address() {
                return bound;
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    server.stop(0);
                    workers.shutdownNow();
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
        ExampleMain.run("JDK HttpsServer", JdkHttpsServerExample::start, args);
    }
}
