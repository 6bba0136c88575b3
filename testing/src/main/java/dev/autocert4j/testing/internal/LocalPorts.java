package dev.autocert4j.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Free ports on 127.0.0.1, and probes of whether something listens there. */
public final class LocalPorts {

    /** 127.0.0.1, where every test server listens. */
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private LocalPorts() {
    }

    /**
     * Returns {@code count} distinct ports that are free on 127.0.0.1 for TCP and for UDP right
     * now. Another process may still take one before it is used; callers retry on bind errors.
     *
     * @param count how many ports
     * @return distinct free port numbers
     * @throws UncheckedIOException if no port can be opened
     */
    public static List<Integer> free(int count) {
        List<ServerSocket> held = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            while (ports.size() < count) {
                ServerSocket socket = new ServerSocket(0, 1, LOOPBACK);
                held.add(socket);
                if (udpFree(socket.getLocalPort())) {
                    ports.add(socket.getLocalPort());
                }
            }
            return List.copyOf(ports);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a socket we only held to reserve its number
                }
            }
        }
    }

    private static boolean udpFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param port a TCP port
     * @return whether a TCP connection to 127.0.0.1:{@code port} is accepted
     */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
