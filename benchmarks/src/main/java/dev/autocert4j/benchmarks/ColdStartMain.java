package dev.autocert4j.benchmarks;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.file.FileCertificateStore;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * A fresh JVM's way to its first certificate on the demo's path (file store, new account,
 * HTTP-01), against a Pebble that already runs ({@link PebbleMain}): prints, in milliseconds since
 * the JVM started, when {@code main} began, when the manager was built and when the first
 * certificate was stored, with the loaded classes and the process CPU at each point; then a
 * second certificate in the same JVM, which shows what of the first was start-up cost.
 *
 * <p>Usage: {@code java -cp <benchmarks class path> dev.autocert4j.benchmarks.ColdStartMain
 * DIRECTORY_URL CA_PEM_FILE HTTP_PORT}.
 */
public final class ColdStartMain {
    private ColdStartMain() {
    }

    /**
     * @param args the directory URL, Pebble's TLS anchor (PEM file) and the HTTP-01 port Pebble's VA calls
     * @throws Exception when issuance fails
     */
    public static void main(String[] args) throws Exception {
        mark("main");
        URI directory = URI.create(args[0]);
        List<X509Certificate> anchor = Pem.decodeChain(Files.readString(Path.of(args[1])));
        int httpPort = Integer.parseInt(args[2]);
        Path store = Files.createTempDirectory("autocert4j-cold");
        try (Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", httpPort).build()) {
            CertificateManager manager = CertificateManager.builder()
                    .issuer(AcmeIssuer.builder("pebble").directory(directory)
                            .trustedCertificates(anchor.toArray(X509Certificate[]::new)).email("cold@autocert4j.test").build())
                    .solver(http01)
                    .store(FileCertificateStore.of(store))
                    .build();
            mark("manager built");
            long t0 = System.nanoTime();
            manager.obtain(cert("cold-" + ProcessHandle.current().pid()));
            long first = System.nanoTime() - t0;
            mark("first certificate");
            t0 = System.nanoTime();
            manager.obtain(cert("warm-" + ProcessHandle.current().pid()));
            long second = System.nanoTime() - t0;
            mark("second certificate");
            System.out.printf(Locale.ROOT, "first obtain() %.1f ms (account registration, key, order), second %.1f ms%n",
                    first / 1e6, second / 1e6);
        }
    }

    private static Certificate cert(String name) {
        return Certificate.builder(name).dnsNames(name + ".bench.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
    }

    private static void mark(String what) {
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        System.out.printf(Locale.ROOT, "%-20s at %6d ms since JVM start, CPU %6.0f ms, %5d classes loaded%n", what,
                ManagementFactory.getRuntimeMXBean().getUptime(), cpu / 1e6,
                ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }
}
