package dev.autocert4j.spring;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** Waits for the certificate a live server serves for a name to become the wanted one. */
final class ServedCertificates {
    /** The pause between two handshakes: each is a full TLS handshake with a new client context. */
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private ServedCertificates() {
    }

    /**
     * {@code GET /} for {@code host} until the response is the wanted one. A handshake that fails counts as not yet:
     * the server may still serve a placeholder, or a certificate that expired a moment before its renewal was
     * served.
     *
     * @param client the client trusting the issuer's root
     * @param wanted tells the wanted response, e.g. a new serial
     * @return the first wanted response
     * @throws AssertionError when none came within {@code timeout}, with the last failed handshake as its cause
     */
    static TlsProbe.Response pollUntil(TlsProbe client, int port, String host, Predicate<TlsProbe.Response> wanted,
            Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                TlsProbe.Response response = client.get(port, host);
                if (wanted.test(response)) {
                    return response;
                }
            } catch (IOException e) {
                last = e;
            }
            // A sleep, not an event: what is awaited happens on the wall clock (a renewal when the certificate is
            // due, an issuance once a lock is free), and the server tells nobody when it serves the new certificate.
            Thread.sleep(INTERVAL.toMillis());
        }
        throw new AssertionError("no wanted certificate was served for " + host + " within " + timeout, last);
    }
}
