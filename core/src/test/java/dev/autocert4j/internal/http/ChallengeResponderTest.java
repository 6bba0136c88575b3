package dev.autocert4j.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The responder with limits small enough to reach in a test. Waits are bounds on socket reads, not timings. */
class ChallengeResponderTest {
    private static final Map<String, String> PRESENTED = Map.of("/.well-known/acme-challenge/tok", "tok.thumbprint");
    private static final String HALF_A_HEAD = "GET /.well-known/acme-challenge/tok HTTP/1.1\r\nHost: a.exa";

    private ChallengeResponder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    private InetSocketAddress start(ResponderLimits limits) throws IOException {
        responder = ChallengeResponder.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                path -> Optional.ofNullable(PRESENTED.get(path)), limits);
        return responder.address();
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String exchange(InetSocketAddress address, String request) throws IOException {
        try (Socket socket = connect(address)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readToEnd(socket.getInputStream());
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        for (int n; (n = in.read(buffer)) >= 0;) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void atTheConnectionLimitTheOldestConnectionIsClosedToAdmitTheNewest() throws Exception {
        InetSocketAddress address = start(new ResponderLimits(4, Duration.ofMinutes(1), 8192));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = connect(address);
                s.getOutputStream().write(HALF_A_HEAD.getBytes(StandardCharsets.US_ASCII));
                idle.add(s);
            }

            String answer = exchange(address, "GET /.well-known/acme-challenge/tok HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("tok.thumbprint");
            assertThat(idle.get(0).getInputStream().read()).as("the oldest, closed long before its deadline").isEqualTo(-1);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aClientThatKeepsSendingABytePerIntervalIsStillClosedAtTheDeadline() throws Exception {
        InetSocketAddress address = start(new ResponderLimits(16, Duration.ofMillis(500), 8192));
        AtomicBoolean stop = new AtomicBoolean();
        try (Socket drip = connect(address)) {
            Thread dripping = new Thread(() -> {
                try {
                    OutputStream out = drip.getOutputStream();
                    out.write("GET /.well-known/acme-challenge/tok HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    while (!stop.get()) {
                        out.write('X');
                        Thread.sleep(50); // the dripping client's pace: the hostile peer under test
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: what the test waits for
                }
            });
            dripping.start();

            assertThat(drip.getInputStream().read()).isEqualTo(-1);
            stop.set(true);
            dripping.join(10_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GARBAGE\r\n\r\n",
        "GET /.well-known/acme-challenge/tok HTTP/2.0\r\n\r\n",
        "GET  /.well-known/acme-challenge/tok HTTP/1.1\r\n\r\n",
        "GET /.well-known/acme-challenge/tok HTTP/1.1 extra\r\n\r\n",
        "G(T /.well-known/acme-challenge/tok HTTP/1.1\r\n\r\n",
        "GET *.well-known/acme-challenge/tok HTTP/1.1\r\n\r\n",
        "GET /.well-known/acme-challenge/tok\u0001 HTTP/1.1\r\n\r\n",
        "GET /.well-known/acme-challenge/tok HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
        "GET /.well-known/acme-challenge/tok HTTP/1.1\r\nno colon here\r\n\r\n",
        "GET /.well-known/acme-challenge/tok HTTP/1.1\r\nHo st: a\r\n\r\n",
        "GET /.well-known/acme-challenge/tok HTTP/1.1\r\nHost: a\u0000b\r\n\r\n",
        "GET /.well-known/acme-challenge/tok HTTP/1.1\r\nHost: a\rb\r\n\r\n",
        "\r\n\r\n",
    })
    void aMalformedRequestHeadGets400(String request) throws Exception {
        InetSocketAddress address = start(ResponderLimits.DEFAULT);

        assertThat(exchange(address, request)).startsWith("HTTP/1.1 400 ").doesNotContain("thumbprint");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /.well-known/acme-challenge/tok HTTP/1.0\r\n\r\n",
        "GET http://a.example.com/.well-known/acme-challenge/tok HTTP/1.1\r\nHost: a.example.com\r\n\r\n",
        "GET /.well-known/acme-challenge/tok?cache=no HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /.well-known/acme-challenge/tok HTTP/1.1\nHost: a\nUser-Agent: \u00e9t\u00e9\n\n",
    })
    void wellFormedVariantsOfAChallengeRequestAreAnswered(String request) throws Exception {
        InetSocketAddress address = start(ResponderLimits.DEFAULT);

        assertThat(exchange(address, request)).startsWith("HTTP/1.1 200 ").contains("Content-Type: text/plain")
                .contains("Connection: close").endsWith("\r\n\r\ntok.thumbprint");
    }

    @Test
    void aHeadExactlyAtTheCapIsAnsweredAndOneByteMoreGets431() throws Exception {
        InetSocketAddress address = start(new ResponderLimits(16, Duration.ofSeconds(30), 256));
        String start = "GET /.well-known/acme-challenge/tok HTTP/1.1\r\nX: ";
        String atCap = start + "a".repeat(256 - start.length() - 4) + "\r\n\r\n";

        assertThat(atCap).hasSize(256);
        assertThat(exchange(address, atCap)).startsWith("HTTP/1.1 200 ");
        assertThat(exchange(address, start + "a".repeat(256 - start.length() - 3) + "\r\n\r\n")).startsWith("HTTP/1.1 431 ");
    }

    @Test
    void anUnknownTokenGets404() throws Exception {
        InetSocketAddress address = start(ResponderLimits.DEFAULT);

        assertThat(exchange(address, "GET /.well-known/acme-challenge/other HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 ");
    }

    @Test
    void afterCloseNothingListens() throws Exception {
        InetSocketAddress address = start(ResponderLimits.DEFAULT);
        responder.close();

        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void theDefaultLimitsAreTheOnesTheReadmePromises() {
        assertThat(ResponderLimits.DEFAULT).isEqualTo(new ResponderLimits(1024, Duration.ofSeconds(5), 8192));
    }

    @Test
    void limitsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> new ResponderLimits(0, Duration.ofSeconds(1), 8192)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> new ResponderLimits(1, Duration.ZERO, 8192)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectionDeadline");
        assertThatThrownBy(() -> new ResponderLimits(1, Duration.ofSeconds(1), 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRequestHeadBytes");
    }
}
