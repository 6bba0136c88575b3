package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** {@code autocert4j.http01.mode}: which requests the in-application filters answer, and what cannot work. */
class Http01ModeTest {
    @TempDir
    Path dir;

    @Test
    void onlyGetAndHeadUnderTheAcmeChallengePathAreAnsweredByTheFilters() {
        assertThat(Http01ChallengeRequests.isChallengeRequest("GET", "/.well-known/acme-challenge/abc")).isTrue();
        assertThat(Http01ChallengeRequests.isChallengeRequest("HEAD", "/.well-known/acme-challenge/abc")).isTrue();
        assertThat(Http01ChallengeRequests.isChallengeRequest("POST", "/.well-known/acme-challenge/abc")).isFalse();
        assertThat(Http01ChallengeRequests.isChallengeRequest("GET", "/.well-known/acme-challengex")).isFalse();
        assertThat(Http01ChallengeRequests.isChallengeRequest("GET", "/")).isFalse();
    }

    @Test
    void idesCompleteTheModeWithItsDefault() throws IOException {
        String metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(metadata).contains("\"name\": \"autocert4j.http01.mode\"", "\"type\": \"dev.autocert4j.spring.Http01Mode\"",
                "\"defaultValue\": \"standalone\"");
    }

    @Test
    void anHttpsServerOnABundleWhoseFirstCertificateTheApplicationItselfMustValidateFailsStartupNamingTheMode()
            throws Exception {
        int deadCa;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadCa = socket.getLocalPort();
        }
        int port = deadCa;
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0", "server.ssl.bundle=autocert4j",
                "autocert4j.http01.mode=application",
                "autocert4j.issuers.le.acme.server=https://127.0.0.1:" + port + "/dir",
                "autocert4j.certificates.www.dns-names=www.example.test",
                "autocert4j.store.directory=" + dir).run().close());

        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidAutocert4jPropertyException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("cause of %s", failure).isInstanceOf(InvalidAutocert4jPropertyException.class);
        InvalidAutocert4jPropertyException invalid = (InvalidAutocert4jPropertyException) cause;
        assertThat(invalid.property()).isEqualTo("autocert4j.http01.mode");
        assertThat(invalid.getMessage()).contains("default/www", "not stored yet", "'autocert4j'");
        assertThat(invalid.action()).contains("autocert4j.http01.mode=standalone");
    }
}
