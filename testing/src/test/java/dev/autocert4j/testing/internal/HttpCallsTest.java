package dev.autocert4j.testing.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HttpCallsTest {
    @Test
    void aRefusedConnectionIsNamedNotReportedAsNull() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // closed again below: nothing listens there
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dir")).GET().build();

        assertThatThrownBy(() -> HttpCalls.send(HttpClient.newHttpClient(), request, HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("GET http://127.0.0.1:" + port + "/dir failed: ")
                .hasMessageContaining("ConnectException").hasMessageNotContaining("null")
                .hasCauseInstanceOf(ConnectException.class);
    }
}
