package dev.autocert4j.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.autocert4j.testing.internal.HttpCalls;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;

/**
 * Pebble's management interface: the CA certificates it generated at start. The default root and
 * the intermediate are fetched once, as they do not change while Pebble runs.
 */
final class PebbleManagement {

    private final URI baseUrl;
    private final HttpClient client;
    private volatile X509Certificate root;
    private volatile X509Certificate intermediate;

    PebbleManagement(URI baseUrl, SSLContext trustingPebble) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder().sslContext(trustingPebble).connectTimeout(HttpCalls.TIMEOUT).build();
    }

    /** Root {@code index} ({@code /roots/<index>}); index 0 is cached. */
    X509Certificate root(int index) {
        if (index != 0) {
            return fetch("roots/" + index);
        }
        X509Certificate result = root;
        if (result == null) {
            result = fetch("roots/0");
            root = result;
        }
        return result;
    }

    /** The intermediate that signs issued certificates ({@code /intermediates/0}), cached. */
    X509Certificate intermediate() {
        X509Certificate result = intermediate;
        if (result == null) {
            result = fetch("intermediates/0");
            intermediate = result;
        }
        return result;
    }

    private X509Certificate fetch(String path) {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(HttpCalls.TIMEOUT)
                .GET()
                .build();
        HttpResponse<byte[]> response = HttpCalls.send(client, request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Pebble answered " + response.statusCode() + " for "
                    + request.uri() + ": " + new String(response.body(), UTF_8));
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(response.body()));
        } catch (CertificateException e) {
            throw new IllegalStateException("Pebble sent no certificate for " + request.uri(), e);
        }
    }
}
