package dev.autocert4j.solver.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.testing.support.MovableClock;
import dev.autocert4j.testing.support.ReadmeFigures;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The propagation check's documented defaults (the README: "every 2 s, for at most 2 minutes"), pinned without
 * waiting: a solver built without pollInterval or propagationTimeout polls a nameserver that never has the record,
 * while its pauses go to a spy that moves the solver's clock instead of sleeping. The nameserver is a UDP socket
 * of this test that answers the zone's NS and the nameserver's address and no TXT record (timing is under test
 * here, not DNS; the testing module checks the real thing against BIND).
 */
class Dns01SolverDefaultsTest {
    private static final ChallengeRequest CHALLENGE = new ChallengeRequest(ChallengeType.DNS_01,
            Identifier.dns("www.example.test"), "token", "token.thumbprint");

    private final List<Long> pauses = new CopyOnWriteArrayList<>();
    private final MovableClock clock = new MovableClock();
    private EmptyZoneServer dns;

    @BeforeEach
    void start() throws IOException {
        dns = new EmptyZoneServer();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void withoutSettingsItPollsEveryTwoSecondsForAtMostTwoMinutesAsTheReadmeSays() throws Exception {
        String[] readme = ReadmeFigures.find("asks every authoritative nameserver of the zone until each answers the value "
                + "\\(every (\\d+) s, for at most (\\d+) minutes; pollInterval, propagationTimeout;");
        Duration documentedPoll = Duration.ofSeconds(Long.parseLong(readme[0]));
        Duration documentedTimeout = Duration.ofMinutes(Long.parseLong(readme[1]));
        Dns01Solver solver = Dns01Solver.builder().provider(new Dns01SolverTest.Noop()).resolvers(dns.address())
                .nameserverPort(dns.address().getPort()).zones("example.test").clock(clock)
                .sleeper(millis -> {
                    pauses.add(millis);
                    clock.advance(Duration.ofMillis(millis));
                }).build();
        Presentation presentation = solver.present(CHALLENGE);
        Instant start = clock.instant();

        assertThatThrownBy(() -> presentation.awaitVisible(start.plus(Duration.ofDays(1))))
                .isInstanceOf(SolverException.class).hasMessageContaining("did not become visible")
                .hasMessageContaining("ns1.example.test");

        assertThat(pauses).as("pauses between checks").isNotEmpty();
        assertThat(pauses.stream().mapToLong(Long::longValue).max().orElseThrow()).as("the longest pause")
                .isEqualTo(documentedPoll.toMillis());
        assertThat(Duration.between(start, clock.instant())).as("time spent before giving up").isEqualTo(documentedTimeout);
        // Most of the two minutes go in pauses of the full interval: the growth from 20 ms is only the start.
        assertThat(pauses.stream().filter(p -> p == documentedPoll.toMillis()).count())
                .isGreaterThanOrEqualTo(documentedTimeout.dividedBy(documentedPoll) - 5);
    }

    @Test
    void theOrdersDeadlineCutsTheWaitShort() throws Exception {
        Dns01Solver solver = Dns01Solver.builder().provider(new Dns01SolverTest.Noop()).resolvers(dns.address())
                .nameserverPort(dns.address().getPort()).zones("example.test").clock(clock)
                .sleeper(millis -> clock.advance(Duration.ofMillis(millis))).build();
        Presentation presentation = solver.present(CHALLENGE);
        Instant start = clock.instant();

        assertThatThrownBy(() -> presentation.awaitVisible(start.plusSeconds(30))).isInstanceOf(SolverException.class);

        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(30));
    }

    /** Answers NS of example.test (ns1.example.test), A of the nameserver (127.0.0.1), and nothing else. */
    private static final class EmptyZoneServer implements AutoCloseable {
        private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        private final Thread thread = new Thread(this::serve, "empty-zone-server");

        EmptyZoneServer() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        private void serve() {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    Message reply = new Message(query.getHeader().getID());
                    reply.getHeader().setFlag(Flags.QR);
                    reply.getHeader().setFlag(Flags.AA);
                    Record question = query.getQuestion();
                    reply.addRecord(question, Section.QUESTION);
                    Name ns = Name.fromString("ns1.example.test.");
                    if (question.getType() == Type.NS && question.getName().equals(Name.fromString("example.test."))) {
                        reply.addRecord(new NSRecord(question.getName(), DClass.IN, 60, ns), Section.ANSWER);
                    } else if (question.getType() == Type.A && question.getName().equals(ns)) {
                        reply.addRecord(new ARecord(ns, DClass.IN, 60, InetAddress.getLoopbackAddress()), Section.ANSWER);
                    }
                    byte[] wire = reply.toWire();
                    socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
