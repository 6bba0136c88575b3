package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.kubernetes.IngressControllerEmulator;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order flow's validation signal through the Ingress solver: Pebble's VA → the emulated ingress
 * controller → the temporary Ingress → the application's responder. Once Pebble has fetched the token
 * from this replica's responder after the trigger, the CSR goes out at once instead of at the learnt
 * validation pace; when the fetch lands on another replica, the flow waits for the pace as before.
 * Pebble's request log shows that neither costs requests: orders still finalise about once each.
 */
class IngressValidationSignalIT {
    /**
     * How long the application holds the CA's first request for a token while the issuer learns its pace: a CA
     * that validates in 0.4 s (under a second, where the CSR is sent at the pace instead of polling).
     */
    private static final Duration TAUGHT_VALIDATION = Duration.ofMillis(400);
    private static final int LEARNING_ORDERS = 20;
    private static final int MEASURED_ORDERS = 10;

    private PebbleServer pebble;
    private KubernetesMockApi api;
    private IngressControllerEmulator nginx;
    private final List<HttpServer> apps = new ArrayList<>();
    private final List<IngressHttp01Solver> solvers = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private volatile Duration appDelay = Duration.ZERO;
    private volatile Instant lastRequest;
    private volatile Instant domainVerified;

    @BeforeEach
    void start() {
        pebble = PebbleServer.builder().vaNoSleep(true).authzReuse(0).nonceRejectPercent(0).start();
        api = new KubernetesMockApi();
        nginx = new IngressControllerEmulator(api.inspector(), "nginx", pebble.httpPort());
    }

    @AfterEach
    void stop() {
        apps.forEach(app -> app.stop(0));
        solvers.forEach(IngressHttp01Solver::close);
        clients.forEach(KubernetesClient::close); // each replica's, so its stopped watch is gone before the server stops
        if (nginx != null) {
            nginx.close();
        }
        if (api != null) {
            api.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    /** A replica's solver (its own responder, answering the other replicas' tokens too). */
    private IngressHttp01Solver replica() {
        KubernetesClient client = api.newClient();
        clients.add(client);
        IngressHttp01Solver solver = IngressHttp01Solver.builder(client).namespace("default").service("app", 8080)
                .ingressClassName("nginx").selfCheckAddress(new InetSocketAddress("127.0.0.1", nginx.port()))
                .selfCheckTimeout(Duration.ofSeconds(5)).build();
        solvers.add(solver);
        return solver;
    }

    /**
     * The replica's pod, which the Service default/app:8080 routes to: notes when it was last asked and holds
     * the CA's first request for a token (the second request: the first is the self-check) for {@link #appDelay}
     * before its responder sees it. Pebble fetches from three perspectives; the later two are not held, since the
     * CA is done once they are answered.
     */
    private void serve(IngressHttp01Solver solver) throws Exception {
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        HttpHandler handler = solver.handler();
        Map<String, AtomicInteger> requestsPerPath = new ConcurrentHashMap<>();
        app.createContext("/", exchange -> {
            if (requestsPerPath.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet() == 2) {
                try {
                    Thread.sleep(appDelay.toMillis()); // a slow CA: the validation lasts as long as its fetch
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            lastRequest = Instant.now();
            handler.handle(exchange);
        });
        app.start();
        apps.add(app);
        nginx.backend("default", "app", 8080, app.getAddress().getPort());
    }

    private CertificateManager manager(IngressHttp01Solver solver) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor())
                        .build())
                .solver(solver).store(new InMemoryCertificateStore())
                .listener(e -> {
                    if (e.type() == CertificateEvent.Type.DOMAIN_VERIFIED) {
                        domainVerified = e.at();
                    }
                }).build();
    }

    private static Certificate cert(String name) {
        return Certificate.builder(name).namespace("default").dnsNames(name + ".example.test")
                .issuerRef(IssuerRef.clusterIssuer("pebble")).build();
    }

    private List<String> requests() {
        Matcher m = Pattern.compile("(?m)^Pebble .* (GET|POST|HEAD) (\\S+) -> calling handler\\(\\)").matcher(pebble.log());
        List<String> requests = new ArrayList<>();
        while (m.find()) {
            requests.add(m.group(1) + " " + m.group(2));
        }
        return requests;
    }

    /** Teaches the issuer a validation pace of {@link #TAUGHT_VALIDATION}, then lets the CA validate at once. */
    private void learnSlowPace(CertificateManager manager) throws Exception {
        appDelay = TAUGHT_VALIDATION;
        for (int i = 0; i < LEARNING_ORDERS; i++) {
            manager.obtain(cert("learn-" + i));
        }
        appDelay = Duration.ZERO;
    }

    /**
     * Per order: how long after Pebble's (last) request to the responder the CA's validation was reported, and
     * what Pebble was asked for the orders.
     */
    private record Measured(List<Duration> waits, List<String> requests) {
        long count(String prefix) {
            return requests.stream().filter(r -> r.startsWith(prefix)).count();
        }

        Duration medianWait() {
            return waits.stream().sorted().toList().get(waits.size() / 2);
        }
    }

    /**
     * @param ordering the replica whose manager orders
     * @param serving the replica the Service routes every request to
     * @param prefix the measured certificates' name prefix
     * @return the orders after the issuer learnt a {@link #TAUGHT_VALIDATION} pace, with a CA that validates at once
     */
    private Measured learnThenMeasure(IngressHttp01Solver ordering, IngressHttp01Solver serving, String prefix) throws Exception {
        serve(serving);
        CertificateManager manager = manager(ordering);
        learnSlowPace(manager);
        int before = requests().size();
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < MEASURED_ORDERS; i++) {
            manager.obtain(cert(prefix + i));
            waits.add(Duration.between(lastRequest, domainVerified));
        }
        Measured measured = new Measured(waits, requests().subList(before, requests().size()));
        System.out.printf("%s: %d orders, finalize %d, authZ %d, requests %d, waits after the fetch (ms) %s%n", prefix,
                MEASURED_ORDERS, measured.count("POST /finalize-order/"), measured.count("POST /authZ/"),
                measured.requests().size(), waits.stream().map(Duration::toMillis).toList());
        return measured;
    }

    /** Orders whose CSR came before Pebble had validated finalise twice: at most half of them. */
    private static void assertFinalisedAboutOnceEach(Measured measured) {
        assertThat(measured.count("POST /finalize-order/"))
                .as("finalisations: one per order, and one more for each that came before Pebble had validated")
                .isBetween((long) MEASURED_ORDERS, MEASURED_ORDERS * 3L / 2);
        assertThat(measured.count("POST /authZ/"))
                .as("authorization requests: one read each to find the challenge, a poll only after an orderNotReady")
                .isBetween((long) MEASURED_ORDERS, MEASURED_ORDERS * 3L / 2);
    }

    @Test
    void theCsrGoesOutOnceTheCaHasFetchedTheTokenFromThisReplicaAndOrdersStillFinaliseAboutOnce() throws Exception {
        IngressHttp01Solver solver = replica();

        Measured measured = learnThenMeasure(solver, solver, "signalled-");

        assertThat(measured.medianWait()).as("the wait after Pebble's fetch (the learnt pace is about %s): %s",
                TAUGHT_VALIDATION, measured.waits()).isLessThan(TAUGHT_VALIDATION.dividedBy(2));
        assertFinalisedAboutOnceEach(measured);
    }

    @Test
    void whenTheCaFetchesFromAnotherReplicaTheOrderWaitsForTheLearntPace() throws Exception {
        IngressHttp01Solver ordering = replica();
        IngressHttp01Solver answering = replica(); // answers the ordering replica's tokens from the Ingress

        Measured measured = learnThenMeasure(ordering, answering, "elsewhere-");

        assertThat(measured.medianWait()).as("no signal without a fetch here: the learnt pace (about %s) decides: %s",
                TAUGHT_VALIDATION, measured.waits()).isGreaterThan(TAUGHT_VALIDATION.dividedBy(2));
        assertFinalisedAboutOnceEach(measured);
    }
}
