package dev.autocert4j.solver.dns.cloudflare;

import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import dev.autocert4j.testing.BindServer;
import dev.autocert4j.testing.PebbleServer;
import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The DNS-01 peers of a test class: BIND serving its zones and Pebble validating against it (no authorization
 * reuse), started before the class's first test and stopped after its last, and Cloudflare API emulators that
 * write into that BIND. Register it as a static {@code @RegisterExtension} field; its peers are started before
 * the class's own {@code @BeforeAll} methods run.
 */
// Compiled into the module under test, whose descriptor cannot export JUnit's and the harness's types; the
// test-jar that carries this class is used on the class path only.
@SuppressWarnings("exports")
public final class PebbleOverBind implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<BindServer.Builder> zones;
    private BindServer bind;
    private PebbleServer pebble;

    private PebbleOverBind(UnaryOperator<BindServer.Builder> zones) {
        this.zones = zones;
    }

    /**
     * @param zones adds BIND's zones, e.g. {@code b -> b.zone("example.test")}
     * @return the fixture, started by JUnit
     */
    public static PebbleOverBind withZones(UnaryOperator<BindServer.Builder> zones) {
        return new PebbleOverBind(zones);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        bind = zones.apply(BindServer.builder()).start();
        pebble = PebbleServer.builder().dnsServer(bind.address()).authzReuse(0).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (pebble != null) {
            pebble.close();
        }
        if (bind != null) {
            bind.close();
        }
    }

    /** @return the BIND server Pebble resolves through */
    public BindServer bind() {
        return bind;
    }

    /** @return the Pebble server validating against {@link #bind()} */
    public PebbleServer pebble() {
        return pebble;
    }

    /**
     * A new Cloudflare API emulator that writes its records into {@link #bind()} over RFC 2136; the caller adds
     * zones and credentials, and closes it.
     *
     * @return the emulator, serving
     * @throws IOException when it cannot listen
     */
    public CloudflareEmulator cloudflareIntoBind() throws IOException {
        return new CloudflareEmulator(Rfc2136DnsProvider.builder().nameserver(bind.address())
                .tsigKey(BindServer.TSIG_KEY_NAME, BindServer.TSIG_ALGORITHM, bind.tsigSecret()).build());
    }

    /**
     * Points a DNS-01 solver's propagation check at {@link #bind()}, checking every 100 ms.
     *
     * @param solver the builder to configure
     * @return {@code solver}
     */
    public Dns01Solver.Builder resolvingThroughBind(Dns01Solver.Builder solver) {
        return solver.resolvers(bind.address()).nameserverPort(bind.port()).pollInterval(Duration.ofMillis(100));
    }
}
