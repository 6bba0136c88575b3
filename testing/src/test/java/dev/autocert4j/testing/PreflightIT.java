package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PreflightException;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import dev.autocert4j.solver.dns.ZonePreflight;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.support.KnownSecrets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Configuration problems found before the CA is asked: for each, {@code obtain} fails with a message that names
 * the fix, Pebble counts no new order, no certificate key is generated, and the failure is counted.
 */
class PreflightIT {
    /** A valid TSIG secret that BIND does not know. */
    private static final String WRONG_TSIG_SECRET = KnownSecrets.register(Base64.getEncoder().encodeToString(
            "not the key BIND has for autocert4j-test".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

    private static BindServer bind;
    private static PebbleServer pebble;
    private final List<CertificateEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        bind = BindServer.builder().zone("example.test").start();
        KnownSecrets.register(bind.tsigSecret());
        pebble = PebbleServer.builder().dnsServer(bind.address()).authzReuse(0).start();
    }

    @AfterAll
    static void stop() {
        if (pebble != null) {
            pebble.close();
        }
        if (bind != null) {
            bind.close();
        }
    }

    private CertificateManager manager(URI directory, Solver solver) {
        return manager(directory, solver, new InMemoryCertificateStore());
    }

    private CertificateManager manager(URI directory, Solver solver, CertificateStore store) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(directory).trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(solver).store(store).listener(events::add).build();
    }

    private static Certificate cert(String name) {
        return Certificate.builder(name).dnsNames(name + ".example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
    }

    private void assertNothingWasOrdered(int ordersBefore, CertificateManager manager, Certificate certificate)
            throws Exception {
        assertThat(pebble.orderCount()).as("orders at Pebble").isEqualTo(ordersBefore);
        assertThat(events).extracting(CertificateEvent::type).as("events")
                .doesNotContain(CertificateEvent.Type.GENERATED, CertificateEvent.Type.ORDER_CREATED)
                .contains(CertificateEvent.Type.FAILED);
        assertThat(manager.status(certificate).failedIssuanceAttempts()).as("counted by the backoff").isEqualTo(1);
    }

    @Test
    void anHttp01PortHeldByAnotherProcessFailsBeforeTheOrder() throws Exception {
        // Pebble's management interface: a port another process (Pebble) listens on.
        int taken = pebble.managementUrl().getPort();
        try (Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", taken).build()) {
            CertificateManager manager = manager(pebble.directoryUrl(), http01);
            Certificate www = cert("port");
            int ordersBefore = pebble.orderCount();

            assertThatThrownBy(() -> manager.obtain(www)).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("The HTTP-01 responder cannot listen on /127.0.0.1:" + taken)
                    .hasMessageContaining("stop the process that holds the port, or choose another with standalone(address)");

            assertNothingWasOrdered(ordersBefore, manager, www);
        }
    }

    /**
     * The tests run as root, who may write any ordinary directory; the kernel refuses writes under {@code /proc/sys}
     * to everyone (procfs answers {@code access(W_OK)} there with EACCES, also for root).
     */
    @Test
    void aFileStoreUnderADirectoryThisProcessMayNotWriteFailsBeforeTheOrder() throws Exception {
        Path readOnly = Path.of("/proc/sys");
        assumeTrue(Files.isDirectory(readOnly) && !Files.isWritable(readOnly), "needs Linux's /proc/sys");
        Path root = readOnly.resolve("autocert4j-store");
        try (Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            CertificateManager manager = manager(pebble.directoryUrl(), http01, FileCertificateStore.of(root));
            Certificate www = cert("filestore");
            int ordersBefore = pebble.orderCount();

            assertThatThrownBy(() -> manager.obtain(www)).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("this process may not write " + readOnly)
                    .hasMessageContaining("make it writable for the application's user");

            assertNothingWasOrdered(ordersBefore, manager, www);
        }
    }

    @Test
    void aTsigKeyTheServerDoesNotAcceptFailsBeforeTheOrder() throws Exception {
        Dns01Solver dns01 = Dns01Solver.builder().resolvers(bind.address()).nameserverPort(bind.port())
                .provider(Rfc2136DnsProvider.builder().nameserver(bind.address())
                        .tsigKey(BindServer.TSIG_KEY_NAME, BindServer.TSIG_ALGORITHM, WRONG_TSIG_SECRET).build())
                .build();
        CertificateManager manager = manager(pebble.directoryUrl(), dns01);
        Certificate www = cert("tsig");
        int ordersBefore = pebble.orderCount();

        assertThatThrownBy(() -> manager.obtain(www)).isInstanceOf(PreflightException.class)
                .hasMessageContaining("did not accept the TSIG key " + BindServer.TSIG_KEY_NAME)
                .hasMessageContaining("check the key's name, algorithm and secret")
                .hasMessageNotContaining(WRONG_TSIG_SECRET);

        assertNothingWasOrdered(ordersBefore, manager, www);
    }

    /**
     * A DNS provider of a user's own, as the README's twenty lines, that joins the preflight through {@link ZonePreflight}:
     * it writes through BIND like {@link Rfc2136DnsProvider} and refuses every zone but the ones it lists.
     */
    private static final class ZonesOfMyAccount implements DnsProvider, ZonePreflight {
        private final DnsProvider writer = Rfc2136DnsProvider.builder().nameserver(bind.address())
                .tsigKey(BindServer.TSIG_KEY_NAME, BindServer.TSIG_ALGORITHM, bind.tsigSecret()).build();
        private final Set<String> mine;
        private final List<Set<String>> asked = new CopyOnWriteArrayList<>();

        ZonesOfMyAccount(Set<String> mine) {
            this.mine = mine;
        }

        @Override
        public String id() {
            return "my-account";
        }

        @Override
        public String createTxtRecord(TxtRecord record) throws SolverException {
            return writer.createTxtRecord(record);
        }

        @Override
        public void deleteTxtRecord(String handle) throws SolverException {
            writer.deleteTxtRecord(handle);
        }

        @Override
        public void preflight(Set<String> zones) throws PreflightException {
            asked.add(zones);
            for (String zone : zones) {
                if (!mine.contains(zone)) {
                    throw new PreflightException("my-account has no zone " + zone + ": add it in the console", false);
                }
            }
        }
    }

    @Test
    void aDnsProviderOfYourOwnIsAskedAboutTheOrdersZonesAndItsRefusalPlacesNoOrder() throws Exception {
        ZonesOfMyAccount provider = new ZonesOfMyAccount(Set.of("elsewhere.test"));
        Dns01Solver dns01 = Dns01Solver.builder().resolvers(bind.address()).nameserverPort(bind.port()).provider(provider).build();
        CertificateManager manager = manager(pebble.directoryUrl(), dns01);
        Certificate www = cert("own-provider");
        int ordersBefore = pebble.orderCount();

        assertThatThrownBy(() -> manager.obtain(www)).isInstanceOf(PreflightException.class)
                .hasMessageContaining("my-account has no zone example.test: add it in the console");

        assertThat(provider.asked).as("the zones the provider was asked about").containsExactly(Set.of("example.test"));
        assertNothingWasOrdered(ordersBefore, manager, www);
    }

    @Test
    void aDnsProviderOfYourOwnThatAcceptsTheZonesIsAskedOnceBeforeTheOrder() throws Exception {
        ZonesOfMyAccount provider = new ZonesOfMyAccount(Set.of("example.test"));
        Dns01Solver dns01 = Dns01Solver.builder().resolvers(bind.address()).nameserverPort(bind.port()).provider(provider).build();
        int ordersBefore = pebble.orderCount();

        manager(pebble.directoryUrl(), dns01).obtain(cert("own-provider-ok"));

        assertThat(provider.asked).containsExactly(Set.of("example.test"));
        assertThat(pebble.orderCount()).isEqualTo(ordersBefore + 1);
    }

    @Test
    void aDirectoryUrlOfAnHttpsServerThatIsNoAcmeCaFailsBeforeAKeyIsGenerated() throws Exception {
        // Pebble's management interface speaks HTTPS, but no ACME.
        URI notAcme = pebble.managementUrl().resolve("/roots/0");
        try (Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            CertificateManager manager = manager(notAcme, http01);
            Certificate www = cert("directory");
            int ordersBefore = pebble.orderCount();

            assertThatThrownBy(() -> manager.obtain(www)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(notAcme + " is not an ACME directory (no newNonce/newAccount/newOrder): check the URL");

            assertNothingWasOrdered(ordersBefore, manager, www);
        }
    }
}
