package dev.autocert4j.solver.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.solver.SolverException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * With a known zone (configured, or from the provider's {@link ZoneLookup}) the solver needs no SOA
 * walk, and with a fixed propagation wait it sends no DNS query at all. The resolver is a UDP
 * socket this test owns: it counts every packet and, when told to, answers NOTIMP like
 * pebble-challtestsrv does for SOA.
 */
class Dns01SolverKnownZoneTest {
    private static final ChallengeRequest CHALLENGE = new ChallengeRequest(ChallengeType.DNS_01,
            Identifier.dns("www.example.test"), "token", "token.thumbprint");

    private CountingResolver resolver;
    private final List<TxtRecord> created = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        resolver = new CountingResolver();
    }

    @AfterEach
    void stop() {
        resolver.close();
    }

    /** Records what it is asked to create; knows no zones. */
    private final class RecordingProvider implements DnsProvider {
        @Override
        public String id() {
            return "recording";
        }

        @Override
        public String createTxtRecord(TxtRecord record) {
            created.add(record);
            return "h" + created.size();
        }

        @Override
        public void deleteTxtRecord(String handle) {
        }
    }

    /** Also answers which of its zones holds a name. */
    private final class ZoneKnowingProvider implements DnsProvider, ZoneLookup {
        private final RecordingProvider delegate = new RecordingProvider();

        @Override
        public String id() {
            return "zone-knowing";
        }

        @Override
        public String createTxtRecord(TxtRecord record) {
            return delegate.createTxtRecord(record);
        }

        @Override
        public void deleteTxtRecord(String handle) {
        }

        @Override
        public Optional<String> zoneOf(String fqdn) {
            return fqdn.endsWith(".example.test") ? Optional.of("example.test") : Optional.empty();
        }
    }

    private Dns01Solver.Builder solver(DnsProvider provider) {
        return Dns01Solver.builder().provider(provider).resolvers(resolver.address()).queryTimeout(Duration.ofMillis(300));
    }

    private static void solveOnce(Dns01Solver solver) throws Exception {
        try (Presentation p = solver.present(CHALLENGE)) {
            p.awaitVisible(Instant.now().plusSeconds(5));
        }
    }

    @Test
    void aConfiguredZoneAndAFixedWaitSendNoDnsQueryAtAll() throws Exception {
        solveOnce(solver(new RecordingProvider()).zones("other.test", "example.test")
                .fixedPropagationWait(Duration.ofMillis(10)).build());

        assertThat(resolver.packets).hasValue(0);
        assertThat(created).singleElement().satisfies(r -> {
            assertThat(r.zone()).isEqualTo("example.test");
            assertThat(r.fqdn()).isEqualTo("_acme-challenge.www.example.test");
        });
    }

    @Test
    void theLongestConfiguredZoneThatHoldsTheNameWins() throws Exception {
        solveOnce(solver(new RecordingProvider()).zones("example.test", "www.example.test")
                .fixedPropagationWait(Duration.ofMillis(10)).build());

        assertThat(created).singleElement().extracting(TxtRecord::zone).isEqualTo("www.example.test");
        assertThat(resolver.packets).hasValue(0);
    }

    @Test
    void aZoneFromTheProviderAndAFixedWaitSendNoDnsQueryAtAll() throws Exception {
        solveOnce(solver(new ZoneKnowingProvider()).fixedPropagationWait(Duration.ofMillis(10)).build());

        assertThat(resolver.packets).hasValue(0);
        assertThat(created).singleElement().extracting(TxtRecord::zone).isEqualTo("example.test");
    }

    @Test
    void withoutAKnownZoneTheSolverAsksTheResolverSoTheCounterSeesQueries() {
        Dns01Solver solver = solver(new RecordingProvider()).fixedPropagationWait(Duration.ofMillis(10)).build();

        assertThatThrownBy(() -> solveOnce(solver)).isInstanceOf(SolverException.class);
        assertThat(resolver.packets.get()).isPositive();
        assertThat(created).isEmpty();
    }

    @Test
    void aResolverAnsweringNotimpToSoaGetsAMessageNamingTheZoneOptions() {
        resolver.answer(Rcode.NOTIMP);
        Dns01Solver solver = solver(new RecordingProvider()).fixedPropagationWait(Duration.ofMillis(10)).build();

        assertThatThrownBy(() -> solveOnce(solver)).isInstanceOf(SolverException.class)
                .hasMessageContaining("answered NOTIMP")
                .hasMessageContaining("zones(\"example.com\")")
                .hasMessageContaining("ZoneLookup")
                .hasMessageNotContaining(": null")
                .satisfies(e -> assertThat(((SolverException) e).isRetryable()).as("retryable").isFalse());
        assertThat(created).isEmpty();
    }

    @Test
    void aResolverRefusingTheNameserverLookupGetsAMessageNamingTheFixedWait() {
        resolver.answer(Rcode.REFUSED);
        Dns01Solver solver = solver(new RecordingProvider()).zones("example.test").build();

        assertThatThrownBy(() -> solver.present(CHALLENGE)).isInstanceOf(SolverException.class)
                .hasMessageContaining("answered REFUSED")
                .hasMessageContaining("fixedPropagationWait");
        assertThat(created).isEmpty();
    }

    @Test
    void refusesZonesThatAreNotApexesNamingTheArgument() {
        assertThatThrownBy(() -> Dns01Solver.builder().zones("*.example.test")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zones[0]");
        assertThatThrownBy(() -> Dns01Solver.builder().zones("example.test", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("zones[1]");
        assertThatThrownBy(() -> Dns01Solver.builder().zones()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zones");
    }

    /** A UDP "resolver" on 127.0.0.1 that counts packets and answers nothing, or the rcode it is given. */
    private static final class CountingResolver implements AutoCloseable {
        final AtomicInteger packets = new AtomicInteger();
        private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        private volatile int rcode = -1;
        private final Thread thread;

        CountingResolver() throws SocketException {
            thread = new Thread(this::serve, "counting-resolver");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        void answer(int rcode) {
            this.rcode = rcode;
        }

        private void serve() {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    packets.incrementAndGet();
                    if (rcode >= 0) {
                        Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                        Message reply = new Message(query.getHeader().getID());
                        reply.getHeader().setFlag(org.xbill.DNS.Flags.QR);
                        reply.getHeader().setRcode(rcode);
                        reply.addRecord(query.getQuestion(), org.xbill.DNS.Section.QUESTION);
                        byte[] wire = reply.toWire();
                        socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
