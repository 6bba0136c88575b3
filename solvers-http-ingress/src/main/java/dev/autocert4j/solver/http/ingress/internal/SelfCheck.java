package dev.autocert4j.solver.http.ingress.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One plain HTTP/1.1 GET with a chosen {@code Host} header to a chosen address: the request the CA
 * will make, sent to the ingress controller (the JDK's HTTP clients do not let a caller set
 * {@code Host}). Stateless.
 */
final class SelfCheck {
    /** What the GET answered: status 0 and the error when it failed; the {@code Location} of a redirect, or null. */
    record Answer(int status, String body, String error, String location) {
        /** @return whether it is a redirect (3xx with a Location), which the self-check does not follow */
        boolean isRedirect() {
            return status / 100 == 3 && location != null;
        }

        @Override
        public String toString() {
            if (status == 0) {
                return error;
            }
            if (isRedirect()) {
                return "HTTP " + status + " redirect to " + location;
            }
            return "HTTP " + status + (body.length() > 80 ? " " + body.substring(0, 80) + "…" : " " + body);
        }
    }

    private SelfCheck() {
    }

    static Answer get(InetSocketAddress address, String host, String path, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: autocert4j-self-check\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            int lineEnd = response.indexOf("\r\n");
            int headersEnd = response.indexOf("\r\n\r\n");
            String[] statusLine = response.substring(0, Math.max(0, lineEnd)).split(" ", 3);
            if (lineEnd < 0 || headersEnd < 0 || statusLine.length < 2) {
                return new Answer(0, "", "not an HTTP answer", null);
            }
            String headers = response.substring(0, headersEnd).toLowerCase(java.util.Locale.ROOT);
            String body = response.substring(headersEnd + 4);
            if (headers.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Answer(Integer.parseInt(statusLine[1]), body.strip(), null, location(response.substring(0, headersEnd)));
        } catch (IOException | RuntimeException e) {
            return new Answer(0, "", e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    private static String location(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Location")) {
                String value = line.substring(colon + 1).strip();
                return value.length() > 300 ? value.substring(0, 300) + "…" : value;
            }
        }
        return null;
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", i);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            i = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
