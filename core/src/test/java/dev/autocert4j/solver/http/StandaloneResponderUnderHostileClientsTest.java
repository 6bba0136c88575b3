package dev.autocert4j.solver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone responder with its default limits, spoken to by clients that do not play fair.
 * The waits below are bounds on a socket read (a test fails instead of hanging), not timings.
 */
class StandaloneResponderUnderHostileClientsTest {
    private static final ChallengeRequest CHALLENGE =
            new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.com"), "tok-1_A", "tok-1_A.thumbprint");
    private static final String HALF_A_HEAD = "GET /.well-known/acme-challenge/tok-1_A HTTP/1.1\r\nHost: a.exam";

    private Http01Solver solver;
    private InetSocketAddress address;

    @BeforeEach
    void startResponder() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        solver = Http01Solver.builder().standalone("127.0.0.1", port).build();
        solver.present(CHALLENGE);
        address = solver.address().orElseThrow();
    }

    @AfterEach
    void stopResponder() {
        solver.close();
    }

    @Test
    void aSlowlorisConnectionIsClosedAfterTheDeadline() throws Exception {
        long start = System.nanoTime();
        try (Socket slow = RawHttpClient.connect(address, Duration.ofSeconds(30))) {
            slow.getOutputStream().write(HALF_A_HEAD.getBytes(StandardCharsets.US_ASCII));

            assertThat(slow.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
        }
        // Only a lower bound: a busy machine makes the close later, never earlier than the 5 s deadline.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(4_900));
    }

    @Test
    void aRequestHeadOverTheSizeCapGets431AndTheConnectionCloses() throws Exception {
        String request = "GET /.well-known/acme-challenge/tok-1_A HTTP/1.1\r\nHost: a.example.com\r\nX-Filler: "
                + "a".repeat(9_000) + "\r\n\r\n";

        String answer = RawHttpClient.exchange(address, request, Duration.ofSeconds(10));

        assertThat(answer).startsWith("HTTP/1.1 431 ").contains("Connection: close").doesNotContain("thumbprint");
    }

    @Test
    void aHeadOfEightKibibytesIsAnsweredAndOneByteMoreGets431() throws Exception {
        String start = "GET /.well-known/acme-challenge/tok-1_A HTTP/1.1\r\nX-Filler: ";
        String atCap = start + "a".repeat(8192 - start.length() - 4) + "\r\n\r\n";

        assertThat(atCap).hasSize(8192);
        assertThat(RawHttpClient.exchange(address, atCap, Duration.ofSeconds(10))).startsWith("HTTP/1.1 200 ");
        assertThat(RawHttpClient.exchange(address, start + "a".repeat(8192 - start.length() - 3) + "\r\n\r\n",
                Duration.ofSeconds(10))).startsWith("HTTP/1.1 431 ");
    }

    @Test
    void postToAChallengePathGets405() throws Exception {
        String answer = RawHttpClient.exchange(address, "POST /.well-known/acme-challenge/tok-1_A HTTP/1.1\r\n"
                + "Host: a.example.com\r\nContent-Length: 5\r\n\r\nhello", Duration.ofSeconds(10));

        assertThat(answer).startsWith("HTTP/1.1 405 ").contains("Allow: GET, HEAD").doesNotContain("thumbprint");
    }

    @Test
    void aPathOutsideTheChallengePrefixGets404WhateverTheMethod() throws Exception {
        assertThat(RawHttpClient.exchange(address, "GET /index.html HTTP/1.1\r\nHost: a.example.com\r\n\r\n",
                Duration.ofSeconds(10))).startsWith("HTTP/1.1 404 ");
        assertThat(RawHttpClient.exchange(address, "DELETE /tok-1_A HTTP/1.1\r\nHost: a.example.com\r\n\r\n",
                Duration.ofSeconds(10))).startsWith("HTTP/1.1 404 ");
    }

    @Test
    void headGetsTheHeadersOfTheAnswerWithoutItsBody() throws Exception {
        String answer = RawHttpClient.exchange(address, "HEAD /.well-known/acme-challenge/tok-1_A HTTP/1.1\r\n"
                + "Host: a.example.com\r\n\r\n", Duration.ofSeconds(10));

        assertThat(answer).startsWith("HTTP/1.1 200 ").contains("Content-Length: 18").doesNotContain("thumbprint");
    }

    @Test
    void threeHundredIdleConnectionsDoNotHoldUpARealRequest() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = RawHttpClient.connect(address, Duration.ofSeconds(30));
                idle.add(s);
                s.getOutputStream().write(HALF_A_HEAD.getBytes(StandardCharsets.US_ASCII));
            }

            // Bounded well below the 5 s deadline: the idle connections are all still open meanwhile.
            String answer = RawHttpClient.exchange(address, "GET /.well-known/acme-challenge/tok-1_A HTTP/1.1\r\n"
                    + "Host: a.example.com\r\n\r\n", Duration.ofSeconds(3));

            assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\ntok-1_A.thumbprint");
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }
}
