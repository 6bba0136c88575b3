package dev.autocert4j.spring.boot3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS client that trusts one root only and sends and verifies a host name (SNI, Host header, name check)
 * on a loopback port, as a browser would for which that name resolves to 127.0.0.1.
 */
final class HttpsProbe {
    /** What one {@code GET} saw: the server's leaf certificate, the status line and the body. */
    record Response(X509Certificate leaf, String statusLine, String body) {
    }

    private final TrustManagerFactory trust;

    HttpsProbe(X509Certificate root) throws GeneralSecurityException, IOException {
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("root", root);
        trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(roots);
    }

    /** {@code GET path} as HTTP/1.0 (a whole body, never chunked), with a new client context (no resumed session). */
    Response get(int port, String host, String path) throws IOException, GeneralSecurityException {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            plain.setSoTimeout(10_000);
            try (SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(host)));
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                OutputStream out = tls.getOutputStream();
                out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                tls.getInputStream().transferTo(all);
                String text = all.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                return new Response(leaf, text.substring(0, text.indexOf("\r\n")), end < 0 ? "" : text.substring(end + 4));
            }
        }
    }
}
