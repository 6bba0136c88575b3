package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.ValidationFailedException;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real certificates from a local Pebble over HTTP-01, through the public API only. */
class AcmeIssuanceIT {
    private static PebbleServer pebble;
    private static Http01Solver http01;

    private final List<CertificateEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPebble() throws Exception {
        pebble = PebbleServer.builder().start();
        http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build();
        http01.start();
    }

    @AfterAll
    static void stopPebble() {
        if (http01 != null) {
            http01.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    private static AcmeIssuer issuer() {
        return AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                .trustedCertificates(pebble.tlsTrustAnchor()).email("ops@example.test").build();
    }

    private CertificateManager manager(CertificateStore store) {
        return CertificateManager.builder().issuer(issuer()).solver(http01).store(store).listener(events::add).build();
    }

    private static Certificate.Builder cert(String name) {
        return Certificate.builder(name).issuerRef(IssuerRef.clusterIssuer("pebble"));
    }

    private long ordersCreated() {
        return events.stream().filter(e -> e.type() == CertificateEvent.Type.ORDER_CREATED).count();
    }

    @Test
    void obtainsAnEcdsaCertificateForOneNameThatChainsToPebblesRoot() throws Exception {
        CertificateStore store = new InMemoryCertificateStore();
        Certificate spec = cert("one").dnsNames("one.example.test").privateKey(PrivateKeySpec.ecdsa(256)).build();

        StoredCertificate issued = manager(store).obtain(spec);

        Chains.assertChainsUpTo(issued.chain(), pebble.rootCertificate());
        assertThat(Chains.sans(issued.leaf())).containsExactly("one.example.test");
        assertThat(issued.leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
        StoredCertificate stored = store.load(spec).orElseThrow();
        assertThat(stored.leaf()).isEqualTo(issued.leaf());
        Chains.assertKeyMatchesLeaf(stored);
        assertThat(events).extracting(CertificateEvent::type).contains(CertificateEvent.Type.GENERATED,
                CertificateEvent.Type.ORDER_CREATED, CertificateEvent.Type.PRESENTED, CertificateEvent.Type.DOMAIN_VERIFIED,
                CertificateEvent.Type.ORDER_COMPLETE, CertificateEvent.Type.ISSUED);
        assertThat(http01.pendingChallenges()).isZero();
    }

    @Test
    void obtainsAnRsaCertificateForThreeNames() throws Exception {
        CertificateStore store = new InMemoryCertificateStore();
        Certificate spec = cert("three").dnsNames("a.example.test", "b.example.test", "c.example.test")
                .commonName("a.example.test").privateKey(PrivateKeySpec.rsa(2048)).build();

        StoredCertificate issued = manager(store).obtain(spec);

        Chains.assertChainsUpTo(issued.chain(), pebble.rootCertificate());
        assertThat(Chains.sans(issued.leaf())).containsExactlyInAnyOrder("a.example.test", "b.example.test", "c.example.test");
        assertThat(issued.leaf().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        Chains.assertKeyMatchesLeaf(store.load(spec).orElseThrow());
    }

    @Test
    void obtainsACertificateForAnIpAddress() throws Exception {
        CertificateStore store = new InMemoryCertificateStore();
        Certificate spec = cert("ip").ipAddresses("127.0.0.1").build();

        StoredCertificate issued = manager(store).obtain(spec);

        Chains.assertChainsUpTo(issued.chain(), pebble.rootCertificate());
        assertThat(Chains.sans(issued.leaf())).containsExactly("127.0.0.1");
        Chains.assertKeyMatchesLeaf(store.load(spec).orElseThrow());
    }

    @Test
    void twoCertificatesShareOneAcmeAccount() throws Exception {
        CertificateManager manager = manager(new InMemoryCertificateStore());
        int accountsBefore = pebble.accountCount();

        manager.obtain(cert("first").dnsNames("first.example.test").build());
        manager.obtain(cert("second").dnsNames("second.example.test").build());

        assertThat(pebble.accountCount() - accountsBefore).as("accounts Pebble created").isEqualTo(1);
    }

    @Test
    void aSecondObtainOfAnUnchangedValidCertificatePlacesNoOrder() throws Exception {
        CertificateManager manager = manager(new InMemoryCertificateStore());
        Certificate spec = cert("again").dnsNames("again.example.test").build();
        StoredCertificate first = manager.obtain(spec);
        int ordersBefore = pebble.orderCount();
        int requestsBefore = pebble.requestCount();

        StoredCertificate second = manager.obtain(spec);

        assertThat(pebble.orderCount()).as("orders at Pebble").isEqualTo(ordersBefore);
        assertThat(pebble.requestCount()).as("requests to Pebble at all").isEqualTo(requestsBefore);
        assertThat(requestsBefore).as("the first obtain was counted").isPositive();
        assertThat(second.leaf().getSerialNumber()).isEqualTo(first.leaf().getSerialNumber());
        assertThat(ordersCreated()).isEqualTo(1);
    }

    /** @return the requests Pebble has answered so far, as {@code METHOD /path}, in order */
    private static List<String> pebbleRequests() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^Pebble .* (GET|POST|HEAD) (\\S+) -> calling handler\\(\\)")
                .matcher(pebble.log());
        List<String> requests = new java.util.ArrayList<>();
        while (m.find()) {
            requests.add(m.group(1) + " " + m.group(2));
        }
        return requests;
    }

    @Test
    void aSecondOrderReadsNoDirectoryAndFinalisesWithoutPollingTheOrderForReady() throws Exception {
        CertificateManager manager = manager(new InMemoryCertificateStore());
        manager.obtain(cert("warm").dnsNames("warm.example.test").build());
        int before = pebbleRequests().size();

        manager.obtain(cert("paced").dnsNames("paced.example.test").build());

        List<String> order = pebbleRequests().subList(before, pebbleRequests().size());
        assertThat(order).as("Pebble sends no caching headers: the directory is read once per issuer")
                .noneMatch(r -> r.endsWith(" /dir"));
        int finalise = order.indexOf(order.stream().filter(r -> r.startsWith("POST /finalize-order/")).findFirst().orElseThrow());
        assertThat(order.subList(0, finalise)).as("requests before finalising").noneMatch(r -> r.contains("/my-order/"))
                .anyMatch(r -> r.startsWith("POST /order-plz"));
    }

    @Test
    void anIssuerThatKnowsTheCasPaceFinalisesWithoutPollingTheAuthorizationFirst() throws Exception {
        CertificateManager manager = manager(new InMemoryCertificateStore());
        for (int i = 0; i < 5; i++) { // the issuer learns Pebble's pace
            manager.obtain(cert("learn-" + i).dnsNames("learn-" + i + ".example.test").build());
        }
        int before = pebbleRequests().size();

        for (int i = 0; i < 10; i++) {
            manager.obtain(cert("known-" + i).dnsNames("known-" + i + ".example.test").build());
        }

        List<String> requests = pebbleRequests().subList(before, pebbleRequests().size());
        assertThat(requests.stream().filter(r -> r.startsWith("POST /finalize-order/")).count())
                .as("finalisations: one per order, and one more for each that came before the CA had validated")
                .isBetween(10L, 20L);
        assertThat(requests.stream().filter(r -> r.startsWith("POST /authZ/")).count())
                .as("authorization requests of 10 orders: one read each to find the challenge; a poll only after"
                        + " a finalisation that came too early (polling first took at least one more each)")
                .isLessThan(20);
    }

    @Test
    void aChangedSpecIsReissued() throws Exception {
        CertificateManager manager = manager(new InMemoryCertificateStore());
        StoredCertificate first = manager.obtain(cert("grow").dnsNames("grow.example.test").build());

        StoredCertificate second = manager.obtain(cert("grow").dnsNames("grow.example.test", "more.example.test").build());

        assertThat(second.leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
        assertThat(second.metadata().revision()).isEqualTo(2);
        assertThat(Chains.sans(second.leaf())).containsExactlyInAnyOrder("grow.example.test", "more.example.test");
    }

    @Test
    void twoManagersOnOneFileStoreObtainingAtOncePlaceOneOrder(@TempDir Path dir) throws Exception {
        Certificate spec = cert("shared").dnsNames("shared.example.test").build();
        CertificateManager a = manager(FileCertificateStore.of(dir));
        CertificateManager b = manager(FileCertificateStore.of(dir));
        int ordersBefore = pebble.orderCount();

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<StoredCertificate> fa = pool.submit(() -> a.obtain(spec));
            Future<StoredCertificate> fb = pool.submit(() -> b.obtain(spec));
            assertThat(fa.get().leaf()).isEqualTo(fb.get().leaf());
        } finally {
            pool.shutdownNow();
        }

        assertThat(ordersCreated()).as("OrderCreated events of both managers").isEqualTo(1);
        assertThat(pebble.orderCount() - ordersBefore).as("orders at Pebble").isEqualTo(1);
    }

    @Test
    void aFailedIssuanceLeavesTheStoredCertificateIntactAndNoChallengeBehind(@TempDir Path dir) throws Exception {
        CertificateManager manager = manager(FileCertificateStore.of(dir));
        manager.obtain(cert("keep").dnsNames("keep.example.test").build());
        Map<String, byte[]> before = snapshot(dir.resolve("certificates"));
        // Pebble resolves this name to an address where nothing listens: validation must fail.
        pebble.addARecord("unreachable.example.test", "127.0.0.2");

        Certificate changed = cert("keep").dnsNames("keep.example.test", "unreachable.example.test").build();
        assertThatThrownBy(() -> manager.obtain(changed))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("unreachable.example.test");

        Map<String, byte[]> after = snapshot(dir.resolve("certificates"));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((file, bytes) -> assertThat(after.get(file)).as(file).isEqualTo(bytes));
        assertThat(http01.pendingChallenges()).isZero();
        assertThat(events).extracting(CertificateEvent::type).contains(CertificateEvent.Type.FAILED);
    }

    @Test
    void aWildcardWithOnlyHttp01IsRefusedBeforeAnyOrder() throws Exception {
        CertificateManager manager = manager(new InMemoryCertificateStore());
        int ordersBefore = pebble.orderCount();

        assertThatThrownBy(() -> manager.obtain(cert("wild").dnsNames("*.example.test").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("*.example.test")
                .hasMessageContaining("DNS-01");
        assertThat(pebble.orderCount()).isEqualTo(ordersBefore);
    }

    @Test
    void aCaWhoseTlsCertificateIsNotTrustedIsRefusedWithAClearRetryableError() {
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl()).build())
                .solver(http01).store(new InMemoryCertificateStore()).build();

        assertThatThrownBy(() -> manager.obtain(cert("untrusted").dnsNames("untrusted.example.test").build()))
                .isInstanceOf(dev.autocert4j.AutocertException.class)
                .hasMessageContaining(pebble.directoryUrl().toString())
                .hasMessageContaining("trusted");
    }

    /** Every regular file (symlinks followed) under a directory, by relative path. */
    private static Map<String, byte[]> snapshot(Path root) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
