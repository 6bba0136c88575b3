package dev.autocert4j.benchmarks;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One client process of {@link PebbleCeilingMain}: its own JVM, manager, ACME account and HTTP-01
 * responder (on its own loopback address, to which Pebble's DNS sends this client's names), issuing
 * against a Pebble another process runs. Warms up, prints {@code READY}, waits for a line on
 * standard input, issues {@code count} certificates at {@code concurrency}, then prints one
 * {@code DONE <epoch ms>} line per certificate and {@code CPU <ms>} (this process's CPU from the start
 * signal on).
 *
 * <p>Arguments: directory URL, Pebble's TLS anchor (PEM file), listen address, HTTP-01 port, name
 * prefix, count, concurrency, warm-up count.
 */
public final class CeilingClientMain {
    private CeilingClientMain() {
    }

    /**
     * @param args see the class comment
     * @throws Exception when issuance fails; the orchestrator stops loudly
     */
    public static void main(String[] args) throws Exception {
        URI directory = URI.create(args[0]);
        X509Certificate anchor = readCertificate(Path.of(args[1]));
        String address = args[2];
        int port = Integer.parseInt(args[3]);
        String prefix = args[4];
        int count = Integer.parseInt(args[5]);
        int concurrency = Integer.parseInt(args[6]);
        int warmup = Integer.parseInt(args[7]);
        try (Http01Solver http01 = Http01Solver.builder().standalone(address, port).build()) {
            CertificateManager manager = CertificateManager.builder()
                    .issuer(AcmeIssuer.builder("pebble").directory(directory).trustedCertificates(anchor).build())
                    .solver(http01)
                    .store(new InMemoryCertificateStore())
                    .build();
            issue(manager, prefix + "w", warmup, concurrency); // account, class loading and JIT: not measured
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            long cpuBefore = processCpuNanos();
            List<Long> done = issue(manager, prefix, count, concurrency);
            long cpu = processCpuNanos() - cpuBefore;
            StringBuilder out = new StringBuilder();
            done.forEach(t -> out.append("DONE ").append(t).append('\n'));
            out.append("CPU ").append(cpu / 1_000_000).append('\n');
            System.out.print(out);
            System.out.flush();
        }
    }

    /** @return the wall-clock time (epoch ms) at which each certificate was obtained */
    private static List<Long> issue(CertificateManager manager, String prefix, int count, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Certificate cert = cert(prefix, i);
                futures.add(pool.submit(() -> {
                    manager.obtain(cert);
                    return System.currentTimeMillis();
                }));
            }
            List<Long> done = new ArrayList<>();
            for (Future<Long> f : futures) {
                done.add(f.get());
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The names of client {@code prefix}'s certificate {@code n}; the orchestrator points them at this client. */
    static String name(String prefix, int n) {
        return prefix + "-" + n + ".bench.test";
    }

    private static Certificate cert(String prefix, int n) {
        return Certificate.builder(prefix + "-" + n)
                .dnsNames(name(prefix, n))
                .issuerRef(IssuerRef.clusterIssuer("pebble"))
                .privateKey(PrivateKeySpec.ecdsa(256))
                .build();
    }

    private static X509Certificate readCertificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
