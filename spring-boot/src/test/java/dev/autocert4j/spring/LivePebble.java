package dev.autocert4j.spring;

import dev.autocert4j.store.Pem;
import dev.autocert4j.testing.PebbleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Pebble for a test class that starts live servers, with a client trusting Pebble's root: started before the
 * class's first test, stopped after its last. Register it as a static {@code @RegisterExtension} field.
 */
final class LivePebble implements BeforeAllCallback, AfterAllCallback {
    private final Duration validity;
    private PebbleServer pebble;
    private TlsProbe client;

    private LivePebble(Duration validity) {
        this.validity = validity;
    }

    /** Pebble issuing certificates of its default validity. */
    static LivePebble withDefaultValidity() {
        return new LivePebble(null);
    }

    /** Pebble issuing certificates valid for {@code validity}, so that renewals come within a test. */
    static LivePebble issuing(Duration validity) {
        return new LivePebble(validity);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        PebbleServer.Builder builder = PebbleServer.builder();
        if (validity != null) {
            builder.certificateValidity(validity);
        }
        pebble = builder.start();
        client = new TlsProbe(pebble.rootCertificate());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (pebble != null) {
            pebble.close();
        }
    }

    PebbleServer server() {
        return pebble;
    }

    /** An HTTPS client that trusts Pebble's root only. */
    TlsProbe client() {
        return client;
    }

    /** Writes the anchor of Pebble's ACME endpoint to {@code dir/pebble-tls.pem}, for trusted-certificates. */
    Path tlsTrustFile(Path dir) throws IOException {
        Path trusted = dir.resolve("pebble-tls.pem");
        Files.writeString(trusted, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())));
        return trusted;
    }
}
