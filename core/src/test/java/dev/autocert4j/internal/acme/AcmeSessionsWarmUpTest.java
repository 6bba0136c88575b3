package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.EcdsaUsingShaAlgorithm;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start-up work that does not depend on the CA (ES256 through P256, a first P-256 key) runs
 * beside the first directory read, not when an issuer is built, and never outlives that read.
 */
class AcmeSessionsWarmUpTest {
    @BeforeEach
    void stockEs256() {
        jws().registerAlgorithm(new EcdsaUsingShaAlgorithm.EcdsaP256UsingSha256()); // jose4j's own
    }

    private static org.jose4j.jwa.AlgorithmFactory<JsonWebSignatureAlgorithm> jws() {
        return AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory();
    }

    private static boolean fastEs256Installed() throws Exception {
        return jws().getAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256) instanceof Es256Signing.FastEs256;
    }

    private static boolean warmUpThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("autocert4j-warm-up") && t.isAlive());
    }

    @Test
    void buildingSessionsLeavesTheStartUpWorkForTheFirstDirectoryRead() throws Exception {
        new AcmeSessions(URI.create("https://127.0.0.1:1/dir"), null, null, null, null);

        assertThat(fastEs256Installed()).as("ES256 through P256 installed by the constructor").isFalse();
    }

    @Test
    void anUnreachableDirectoryFailsTypedAndRetryableAndLeavesNoThreadRunning() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        URI directory = URI.create("https://127.0.0.1:" + closedPort + "/dir");
        AcmeSessions sessions = new AcmeSessions(directory, null, null, null, null);

        assertThatThrownBy(sessions::requireDirectory).isInstanceOf(AutocertException.class)
                .hasMessageContaining(directory.toString())
                .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).as("retryable").isTrue());

        assertThat(warmUpThreadAlive()).as("warm-up thread still running").isFalse();
        assertThat(fastEs256Installed()).as("ES256 through P256 installed by the warm-up").isTrue();
    }

    @Test
    void signingIsPreparedWhileTheDirectoryReadIsStillWaitingForTheCa() throws Exception {
        ServerSocket silentCa = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture<Void> read;
        try {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silentCa.accept(); // and never answers the TLS handshake
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            AcmeSessions sessions = new AcmeSessions(URI.create("https://127.0.0.1:" + silentCa.getLocalPort() + "/dir"),
                    null, null, null, null);
            stockEs256(); // as if another jose4j user registered its own after the issuer was built
            read = CompletableFuture.runAsync(() -> {
                try {
                    sessions.requireDirectory();
                } catch (AutocertException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            try (Socket connection = accepted.get(30, TimeUnit.SECONDS)) {
                assertThat(connection.isConnected()).as("the client connected").isTrue();
                assertThat(sessions.warmUpEndedWithin(Duration.ofSeconds(30))).as("the warm-up thread ended").isTrue();
                assertThat(fastEs256Installed()).as("ES256 through P256 installed while the CA is silent").isTrue();
                assertThat(read).as("the directory read").isNotDone();
            }
        } finally {
            silentCa.close(); // the CA hangs up without a word, and a retry finds nobody
        }

        assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AutocertException.class);
        assertThat(warmUpThreadAlive()).as("warm-up thread still running").isFalse();
    }
}
