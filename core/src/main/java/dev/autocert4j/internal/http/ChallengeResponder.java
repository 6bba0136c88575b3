package dev.autocert4j.internal.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone HTTP-01 responder: one thread and a {@link Selector}, never blocked by a client.
 *
 * <p>Why not the JDK {@code HttpServer}: it reads a request on an executor thread with a blocking
 * read and no deadline unless JVM-wide system properties are set, so a few clients that send half
 * a head and wait hold every worker. Here an idle connection holds no thread, only its bytes so far
 * (at most {@link ResponderLimits#maxRequestHeadBytes()}); each connection is closed at its deadline
 * whatever it is doing; at the connection limit the oldest is closed to admit the newest (a CA's
 * request arrives in one go and is answered at once, so it is never the oldest for long). Every
 * answer closes the connection: no keep-alive, no request body read, no pipelining.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread.
 */
public final class ChallengeResponder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChallengeResponder.class);
    private static final int ACCEPTS_PER_WAKEUP = 256;
    private static final int BACKLOG = 1024;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final InetSocketAddress address;
    private final ResponderLimits limits;
    private final ChallengeAnswers answers;
    private final long deadlineNanos;
    /** Open connections in the order they were accepted, which is also the order of their deadlines. */
    private final LinkedHashSet<Connection> open = new LinkedHashSet<>();
    private final ByteBuffer scratch;
    private final Thread thread;
    private volatile boolean closed;

    private ChallengeResponder(ServerSocketChannel server, Selector selector, ResponderLimits limits,
            Function<String, Optional<String>> keyAuthorizations) throws IOException {
        this.server = server;
        this.selector = selector;
        this.address = (InetSocketAddress) server.getLocalAddress();
        this.limits = limits;
        this.answers = new ChallengeAnswers(keyAuthorizations);
        this.deadlineNanos = limits.connectionDeadline().toNanos();
        this.scratch = ByteBuffer.allocate(limits.maxRequestHeadBytes() + 1);
        this.thread = new Thread(this::run, "autocert4j-http01-" + address.getPort());
        thread.setDaemon(true);
    }

    /**
     * Binds now (so that a taken port fails the caller) and serves on a new daemon thread.
     *
     * @param address where to listen
     * @param keyAuthorizations the key authorization for a request path under the challenge prefix,
     *     or empty for a {@code 404}; called on the responder's thread, so it must be quick
     * @param limits the limits
     * @return the running responder
     * @throws IOException when the address cannot be bound
     */
    public static ChallengeResponder start(InetSocketAddress address, Function<String, Optional<String>> keyAuthorizations,
            ResponderLimits limits) throws IOException {
        requireNonNull(address, "address");
        requireNonNull(keyAuthorizations, "keyAuthorizations");
        requireNonNull(limits, "limits");
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector = null;
        try {
            server.bind(address, BACKLOG);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            ChallengeResponder responder = new ChallengeResponder(server, selector, limits, keyAuthorizations);
            responder.thread.start();
            return responder;
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops accepting, closes every connection and waits (briefly) for the thread to end. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(millisToNextDeadline());
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptPending();
                    } else {
                        serve((Connection) key.attachment());
                    }
                }
                closeExpired();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("The HTTP-01 responder on {} stopped: {}", address, e.toString(), e);
            }
        } finally {
            for (Connection c : open) {
                closeQuietly(c.channel);
            }
            open.clear();
            closeQuietly(server);
            closeQuietly(selector);
        }
    }

    /** @return how long select may wait: until the oldest connection's deadline, or for ever (0) */
    private long millisToNextDeadline() {
        if (open.isEmpty()) {
            return 0;
        }
        long nanos = open.iterator().next().deadline - System.nanoTime();
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos) + 1);
    }

    private void acceptPending() {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                // Out of file descriptors, say: free the oldest one, try again at the next wakeup.
                LOG.debug("HTTP-01 responder could not accept: {}", e.toString());
                if (!open.isEmpty()) {
                    close(open.iterator().next());
                }
                return;
            }
            if (channel == null) {
                return;
            }
            if (open.size() >= limits.maxConnections()) {
                close(open.iterator().next());
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                Connection connection = new Connection(channel, key, System.nanoTime() + deadlineNanos);
                key.attach(connection);
                open.add(connection);
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
    }

    private void serve(Connection c) {
        try {
            if (c.key.isWritable()) {
                write(c);
            } else if (c.draining) {
                drain(c);
            } else if (c.answer == null) {
                read(c);
            }
        } catch (IOException | RuntimeException e) {
            // A reset, a broken pipe, or a bug in handling one connection: that connection only.
            LOG.debug("HTTP-01 responder dropped a connection: {}", e.toString());
            close(c);
        }
    }

    private void read(Connection c) throws IOException {
        scratch.clear().limit(limits.maxRequestHeadBytes() + 1 - c.length());
        int count = c.channel.read(scratch);
        if (count < 0) {
            close(c); // the client gave up before its head was complete
            return;
        }
        int end = c.append(scratch.array(), count);
        if (end >= 0 && end <= limits.maxRequestHeadBytes()) {
            c.answer = answers.answer(c.head(), end);
        } else if (c.length() > limits.maxRequestHeadBytes()) {
            c.answer = ChallengeAnswers.tooLarge();
        }
        if (c.answer != null) {
            write(c);
        }
    }

    private void write(Connection c) throws IOException {
        c.channel.write(c.answer);
        if (c.answer.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        // Half-close and read what the client still sends until it closes: closing with unread
        // input would reset the connection, and the client could lose the answer.
        c.channel.shutdownOutput();
        c.draining = true;
        c.key.interestOps(SelectionKey.OP_READ);
    }

    private void drain(Connection c) throws IOException {
        scratch.clear();
        if (c.channel.read(scratch) < 0) {
            close(c);
        }
    }

    private void closeExpired() {
        long now = System.nanoTime();
        Iterator<Connection> oldestFirst = open.iterator();
        while (oldestFirst.hasNext()) {
            Connection c = oldestFirst.next();
            if (c.deadline - now > 0) {
                return;
            }
            oldestFirst.remove();
            c.key.cancel();
            closeQuietly(c.channel);
        }
    }

    private void close(Connection c) {
        open.remove(c);
        c.key.cancel();
        closeQuietly(c.channel);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.trace("closing: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "ChallengeResponder[" + address + "]";
    }
}
