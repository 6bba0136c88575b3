package dev.autocert4j.solver.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plain sockets for tests that speak broken or hostile HTTP to a responder. */
final class RawHttpClient {
    private RawHttpClient() {
    }

    /** @return a socket connected to the responder on loopback, reads bounded by {@code readTimeout} */
    static Socket connect(InetSocketAddress address, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), address.getPort()), 5_000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        return socket;
    }

    /** Sends {@code request} and reads until the server closes; fails when a read waits longer than {@code readTimeout}. */
    static String exchange(InetSocketAddress address, String request, Duration readTimeout) throws IOException {
        try (Socket socket = connect(address, readTimeout)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readToEnd(socket.getInputStream());
        }
    }

    static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) >= 0;) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }
}
