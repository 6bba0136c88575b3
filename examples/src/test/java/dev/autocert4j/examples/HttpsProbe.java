package dev.autocert4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS client for the example servers: connects to a loopback address but sends and verifies
 * a host name, as a browser for which that name resolves to 127.0.0.1 would (SNI, Host header,
 * certificate name check, chain to the given root).
 */
final class HttpsProbe {
    /** What one GET saw: the server's leaf certificate, the status code, and the body. */
    record Response(X509Certificate leaf, int status, String body) {
        BigInteger serial() {
            return leaf.getSerialNumber();
        }

        String serialHex() {
            return leaf.getSerialNumber().toString(16);
        }
    }

    private final TrustManagerFactory trust;

    HttpsProbe(X509Certificate root) throws GeneralSecurityException, IOException {
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("root", root);
        trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(roots);
    }

    /**
     * A new client context per request: a context that remembers the session would resume it,
     * and a resumed session keeps the certificate of its first handshake.
     */
    private SSLContext newClient() throws IOException {
        try {
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trust.getTrustManagers(), null);
            return client;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a TLS client: " + e.getMessage(), e);
        }
    }

    /**
     * @param server where the server listens
     * @param host the name sent as SNI and Host, and verified against the certificate
     * @return what the server answered to {@code GET /}
     * @throws IOException when the connection, the handshake or the verification fails
     */
    Response get(InetSocketAddress server, String host) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(server, 5_000);
            plain.setSoTimeout(10_000);
            try (SSLSocket tls = (SSLSocket) newClient().getSocketFactory().createSocket(plain, host, server.getPort(), true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(host)));
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                OutputStream out = tls.getOutputStream();
                out.write(("GET / HTTP/1.1\r\nHost: " + host + ":" + server.getPort() + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return parse(leaf, readAll(tls.getInputStream()));
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    private static Response parse(X509Certificate leaf, byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("incomplete HTTP response: " + text);
        }
        String[] head = text.substring(0, end).split("\r\n");
        String[] statusLine = head[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + head[0]);
        }
        boolean chunked = false;
        for (int i = 1; i < head.length; i++) {
            String line = head[i].toLowerCase(Locale.ROOT);
            if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
                chunked = true;
            }
        }
        String body = text.substring(end + 4);
        if (chunked) {
            body = dechunk(body);
        }
        return new Response(leaf, Integer.parseInt(statusLine[1]),
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String chunked) throws IOException {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                throw new IOException("truncated chunked body");
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
