package dev.autocert4j.solver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttp01HandlerTest {
    private static final ChallengeRequest CHALLENGE =
            new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.com"), "tok-1_A", "tok-1_A.thumbprint");

    private final Http01Solver solver = Http01Solver.builder().mounted().build();
    private HttpServer server;

    @BeforeEach
    void mount() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(Http01Solver.PATH_PREFIX, JdkHttp01Handler.of(solver));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @SuppressWarnings("try")
    void answersAPresentedTokenWithTheKeyAuthorization() throws Exception {
        try (Presentation p = solver.present(CHALLENGE)) {
            HttpResponse<String> served = send("GET", "/.well-known/acme-challenge/tok-1_A");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo("tok-1_A.thumbprint");
            assertThat(served.headers().firstValue("Content-Type")).contains("text/plain");
        }
        assertThat(send("GET", "/.well-known/acme-challenge/tok-1_A").statusCode()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("try")
    void answersUnknownTokensWith404() throws Exception {
        try (Presentation p = solver.present(CHALLENGE)) {
            assertThat(send("GET", "/.well-known/acme-challenge/other").statusCode()).isEqualTo(404);
            assertThat(send("GET", "/.well-known/acme-challenge/").statusCode()).isEqualTo(404);
        }
    }

    @Test
    @SuppressWarnings("try")
    void refusesMethodsOtherThanGetAndHead() throws Exception {
        try (Presentation p = solver.present(CHALLENGE)) {
            assertThat(send("HEAD", "/.well-known/acme-challenge/tok-1_A").statusCode()).isEqualTo(200);
            HttpResponse<String> post = send("POST", "/.well-known/acme-challenge/tok-1_A");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        }
    }

    @Test
    void needsASolver() {
        assertThatThrownBy(() -> JdkHttp01Handler.of(null)).isInstanceOf(NullPointerException.class);
    }
}
