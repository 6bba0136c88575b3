package dev.autocert4j.solver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.internal.http.FetchedToken;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class Http01SolverTest {
    private static final ChallengeRequest CHALLENGE =
            new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.com"), "tok-1_A", "tok-1_A.thumbprint");

    private static HttpResponse<String> get(InetSocketAddress address, String path) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final PreflightRequest REQUEST = PreflightRequest.of(Certificate.builder("a").dnsNames("a.example.com")
            .issuerRef(IssuerRef.clusterIssuer("le")).build());

    @Test
    void preflightFailsWhileAnotherSocketHoldsThePortAndPassesOnceItIsFree() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
                Http01Solver solver = Http01Solver.builder().standalone("127.0.0.1", taken.getLocalPort()).build()) {
            port = taken.getLocalPort();
            assertThatThrownBy(() -> solver.preflight(REQUEST)).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("cannot listen on /127.0.0.1:" + port)
                    .hasMessageContaining("choose another with standalone(address)");
            assertThat(solver.address()).as("the preflight starts nothing").isEmpty();
        }
        try (Http01Solver solver = Http01Solver.builder().standalone("127.0.0.1", port).build()) {
            solver.preflight(REQUEST);
            assertThat(solver.address()).as("the port was bound and released").isEmpty();
            try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void preflightPassesWhenTheSolversOwnResponderHoldsThePort() throws Exception {
        try (Http01Solver solver = Http01Solver.builder().standalone("127.0.0.1", freePort()).build()) {
            solver.start();

            solver.preflight(REQUEST);

            assertThat(solver.address()).isPresent();
        }
    }

    @Test
    void theStandaloneServerAnswersATokenOfAnotherReplicaFromAnAddedSource() throws Exception {
        try (Http01Solver solver = Http01Solver.builder().standalone("127.0.0.1", freePort()).build()) {
            solver.start();
            Http01Solver.TokenSource otherReplica = token -> token.equals("tok-other") ? Optional.of("tok-other.t") : Optional.empty();
            solver.addTokenSource(otherReplica);
            InetSocketAddress address = solver.address().orElseThrow();

            HttpResponse<String> served = get(address, "/.well-known/acme-challenge/tok-other");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo("tok-other.t");
            assertThat(get(address, "/.well-known/acme-challenge/tok-unknown").statusCode()).isEqualTo(404);

            assertThat(solver.removeTokenSource(otherReplica)).isTrue();
            assertThat(get(address, "/.well-known/acme-challenge/tok-other").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void ownTokensWinAndMalformedTokensReachNoSource() throws Exception {
        try (Http01Solver solver = Http01Solver.builder().mounted().build()) {
            List<String> asked = new CopyOnWriteArrayList<>();
            solver.addTokenSource(token -> {
                asked.add(token);
                return Optional.of("from-source");
            });
            solver.present(CHALLENGE);

            assertThat(solver.respond("/.well-known/acme-challenge/tok-1_A")).contains("tok-1_A.thumbprint");
            assertThat(solver.respond("/.well-known/acme-challenge/../etc")).isEmpty();
            assertThat(solver.respond("/.well-known/acme-challenge/")).isEmpty();
            assertThat(asked).isEmpty();
        }
    }

    @Test
    void standaloneResponderServesTheKeyAuthorizationUntilCleanedUp() throws Exception {
        try (Http01Solver solver = Http01Solver.builder().standalone("127.0.0.1", freePort()).build()) {
            Presentation p = solver.present(CHALLENGE);
            InetSocketAddress address = solver.address().orElseThrow();

            HttpResponse<String> served = get(address, "/.well-known/acme-challenge/tok-1_A");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo("tok-1_A.thumbprint");
            assertThat(get(address, "/.well-known/acme-challenge/other").statusCode()).isEqualTo(404);

            p.close();
            assertThat(get(address, "/.well-known/acme-challenge/tok-1_A").statusCode()).isEqualTo(404);
            assertThat(solver.pendingChallenges()).isZero();
        }
    }

    @Test
    @SuppressWarnings("try")
    void mountedResponderAnswersThroughThePlainFunction() throws Exception {
        Http01Solver solver = Http01Solver.builder().mounted().build();
        try (Presentation p = solver.present(CHALLENGE)) {
            assertThat(solver.respond("/.well-known/acme-challenge/tok-1_A")).contains("tok-1_A.thumbprint");
            assertThat(solver.respond("/index.html")).isEmpty();
        }
        assertThat(solver.respond("/.well-known/acme-challenge/tok-1_A")).isEmpty();
    }

    @Test
    void aFetchOfThePresentedTokenIsRecordedForTheOrderAndOtherRequestsAreNot() throws Exception {
        Http01Solver solver = Http01Solver.builder().mounted().build();
        try (Presentation p = solver.present(CHALLENGE)) {
            FetchedToken token = (FetchedToken) p;
            long presented = token.lastFetchNanos();

            solver.respond("/.well-known/acme-challenge/other-token");
            solver.respond("/index.html");
            assertThat(token.lastFetchNanos()).as("requests for anything else").isEqualTo(presented);

            solver.respond("/.well-known/acme-challenge/tok-1_A");
            assertThat(token.lastFetchNanos() - presented).as("the CA's fetch").isPositive();
        }
    }

    @Test
    @SuppressWarnings("try")
    void theStandaloneResponderRecordsTheFetch() throws Exception {
        try (Http01Solver solver = Http01Solver.builder().standalone(new InetSocketAddress("127.0.0.1", 0)).build();
                Presentation p = solver.present(CHALLENGE)) {
            FetchedToken token = (FetchedToken) p;
            long presented = token.lastFetchNanos();

            assertThat(get(solver.address().orElseThrow(), "/.well-known/acme-challenge/tok-1_A").statusCode()).isEqualTo(200);

            assertThat(token.lastFetchNanos() - presented).isPositive();
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        Http01Solver solver = Http01Solver.builder().mounted().build();
        Presentation p = solver.present(CHALLENGE);
        p.close();
        p.close();
        assertThat(solver.pendingChallenges()).isZero();
    }

    @Test
    void refusesWildcardsButServesNamesAndAddresses() {
        Http01Solver solver = Http01Solver.builder().mounted().build();
        assertThat(solver.canSolve(Identifier.dns("*.example.com"))).isFalse();
        assertThat(solver.canSolve(Identifier.dns("example.com"))).isTrue();
        assertThat(solver.canSolve(Identifier.ip("127.0.0.1"))).isTrue();
    }

    @Test
    void refusesATokenThatWouldEscapeThePath() {
        Http01Solver solver = Http01Solver.builder().mounted().build();
        ChallengeRequest evil = new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.com"), "../x", "k");
        assertThatThrownBy(() -> solver.present(evil)).isInstanceOf(SolverException.class);
    }

    @Test
    void aTakenPortIsARetryableSolverFailure() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                Http01Solver solver = Http01Solver.builder().standalone("127.0.0.1", taken.getLocalPort()).build()) {
            assertThatThrownBy(() -> solver.present(CHALLENGE))
                    .isInstanceOf(SolverException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()))
                    .matches(e -> ((SolverException) e).isRetryable());
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
