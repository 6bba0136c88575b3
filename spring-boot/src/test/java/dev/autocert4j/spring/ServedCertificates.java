package dev.autocert4j.spring;

import dev.autocert4j.testing.internal.Poll;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** Waits for the certificate a live server serves for a name to become the wanted one. */
final class ServedCertificates {
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
            Duration timeout) {
        AtomicReference<TlsProbe.Response> found = new AtomicReference<>();
        AtomicReference<Exception> last = new AtomicReference<>();
        // A poll, not an event: what is awaited happens on the wall clock (a renewal when the certificate is due, an
        // issuance once a lock is free), and the server tells nobody when it serves the new certificate.
        try {
            Poll.until(timeout, () -> {
                try {
                    TlsProbe.Response response = client.get(port, host);
                    found.set(response);
                    return wanted.test(response);
                } catch (IOException e) {
                    last.set(e);
                    return false;
                } catch (GeneralSecurityException e) {
                    throw new AssertionError("the probe's TLS client cannot be set up", e);
                }
            }, () -> "no wanted certificate was served for " + host + " within " + timeout);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage(), last.get());
        }
        return found.get();
    }
}
