package dev.autocert4j.examples;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSession;

/** The body every example server answers with: which server, and which certificate it presented. */
final class Greeting {
    private Greeting() {
    }

    /**
     * @param server the server's name, as "Jetty"
     * @param session the TLS session the request came over, or null when unknown
     * @return a line such as {@code Hello over HTTPS from Jetty; certificate serial 1f2e}
     */
    static String body(String server, SSLSession session) {
        String serial = "unknown";
        Certificate[] local = session == null ? null : session.getLocalCertificates();
        if (local != null && local.length > 0 && local[0] instanceof X509Certificate leaf) {
            serial = leaf.getSerialNumber().toString(16);
        }
        return "Hello over HTTPS from " + server + "; certificate serial " + serial + "\n";
    }
}
