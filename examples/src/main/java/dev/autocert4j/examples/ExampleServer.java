package dev.autocert4j.examples;

import java.net.InetSocketAddress;

/**
 * An HTTPS server started by one of the examples ({@link JdkHttpsServerExample}, {@link JettyExample},
 * {@link NettyExample}). Closing it stops the server; the certificate manager it serves from stays
 * open, as it belongs to the caller. Thread-safe.
 */
public interface ExampleServer extends AutoCloseable {
    /** @return the address the server listens on, with the actual port when port 0 was asked for */
    InetSocketAddress address();

    /** Stops accepting connections and stops the server's threads. Idempotent. */
    @Override
    void close();
}
