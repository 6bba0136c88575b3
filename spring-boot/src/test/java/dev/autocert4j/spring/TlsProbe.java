package dev.autocert4j.spring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTPS client that trusts one root only, connects to a loopback address, and sends and verifies a host
 * name (SNI, Host header, name check), as a browser would for which that name resolves to 127.0.0.1.
 */
final class TlsProbe {
    /** What one {@code GET} saw. */
    record Response(X509Certificate leaf, String statusLine, String body) {
        BigInteger serial() {
            return leaf.getSerialNumber();
        }
    }

    private final TrustManagerFactory trust;

    TlsProbe(X509Certificate root) throws GeneralSecurityException, IOException {
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("root", root);
        trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(roots);
    }

    /** A new client context per request, so that no session is resumed (a resumed session keeps its certificate). */
    Response get(int port, String host) throws IOException, GeneralSecurityException {
        return get(port, host, "/");
    }

    /**
     * The chain a server presents for {@code host}, read in the handshake without trusting it: the client's trust
     * manager records the chain and rejects it, so nothing is sent over an untrusted connection.
     *
     * @return the presented chain, leaf first
     */
    static X509Certificate[] presentedChain(int port, String host) throws IOException, GeneralSecurityException {
        X509Certificate[][] presented = new X509Certificate[1][];
        X509TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a client only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                presented[0] = chain.clone();
                throw new CertificateException("recorded, not trusted");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {recorder}, null);
        try (Socket plain = new Socket()) {
            try (SSLSocket tls = connect(client, plain, port, host, false)) {
                tls.startHandshake();
                throw new AssertionError("the handshake succeeded though the client trusts nothing");
            } catch (SSLException expected) {
                if (presented[0] == null) {
                    throw expected;
                }
                return presented[0];
            }
        }
    }

    /**
     * {@code GET path} as HTTP/1.0, so that the body comes whole (never chunked), with a new client context.
     *
     * @param path the request path, such as {@code /actuator/health}
     */
    Response get(int port, String host, String path) throws IOException, GeneralSecurityException {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        try (Socket plain = new Socket()) {
            try (SSLSocket tls = connect(client, plain, port, host, true)) {
                tls.startHandshake();
                X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                OutputStream out = tls.getOutputStream();
                out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                tls.getInputStream().transferTo(all);
                String text = all.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                return new Response(leaf, text.substring(0, text.indexOf("\r\n")), end < 0 ? "" : text.substring(end + 4));
            }
        }
    }

    /**
     * Connects {@code plain} to 127.0.0.1 and layers TLS over it, sending {@code host} as SNI; the handshake is left
     * to the caller.
     *
     * @param checkName whether the client verifies that the certificate names {@code host}, as a browser does
     */
    private static SSLSocket connect(SSLContext client, Socket plain, int port, String host, boolean checkName)
            throws IOException {
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        plain.setSoTimeout(10_000);
        SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(host)));
        if (checkName) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        tls.setSSLParameters(parameters);
        return tls;
    }
}
