package dev.autocert4j.benchmarks;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.internal.tls.SniKeyManager;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much heap a managed certificate costs, and how many threads the manager needs for many:
 * manages {@code --count} certificates (default 10,000) issued by an in-memory test CA, with the
 * background scheduler started, and prints the used heap after GC with them minus the used heap
 * after GC before them, divided by the count, and the manager's threads.
 *
 * <p>What a managed certificate holds here: its spec, its stored chain, key pair and metadata (in
 * the in-memory store; a file store keeps them on disk instead), the key manager's entry that
 * serves it, and its scheduler entry. The EC P-256 key and two-certificate chain are what a
 * Let's Encrypt certificate brings too.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.autocert4j.benchmarks.ManagedHeapMain --count 10000 --idle-wait 65
 * </pre>
 */
public final class ManagedHeapMain {
    private ManagedHeapMain() {
    }

    /**
     * @param args {@code --count N} (10,000) and {@code --idle-wait SECONDS} (65: how long to wait
     *     for idle issuance threads to end before counting threads again; 0 to skip)
     * @throws Exception when managing fails
     */
    public static void main(String[] args) throws Exception {
        int count = 10_000;
        int idleWait = 65;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--idle-wait" -> idleWait = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --count N and --idle-wait SECONDS");
            }
        }
        TestCaIssuer issuer = new TestCaIssuer();
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer)
                .store(new InMemoryCertificateStore()).build()) {
            // Warm up the classes and the test CA, so that the baseline holds them already.
            manager.obtain(Certificate.builder("warm-up").dnsNames("warm-up.bench.example.test")
                    .issuerRef(IssuerRef.clusterIssuer(TestCaIssuer.NAME)).build());
            manager.start();
            long baseline = usedHeapAfterGc();
            Map<String, Integer> threadsBefore = threads();

            long started = System.nanoTime();
            List<Certificate> specs = ManagedCertificates.specs(count);
            for (Certificate spec : specs) {
                manager.manage(spec);
            }
            long deadline = System.nanoTime() + 300_000_000_000L;
            SniKeyManager served = (SniKeyManager) manager.keyManager();
            while (issuer.issued.get() < count + 1 || served.size() < count + 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + issuer.issued.get() + " of " + count + " issued in 5 minutes");
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Integer> threadsWorking = threads();
            long used = usedHeapAfterGc();

            System.out.printf(Locale.ROOT, "managed certificates:        %,d (issued in %.1f s by the background scheduler)%n",
                    count, seconds);
            System.out.printf(Locale.ROOT, "heap used before / after:    %,d / %,d bytes (after GC)%n", baseline, used);
            System.out.printf(Locale.ROOT, "heap per managed certificate: %,d bytes%n", (used - baseline) / count);
            System.out.println("manager threads before managing: " + threadsBefore);
            System.out.println("manager threads after issuing:   " + threadsWorking);
            if (idleWait > 0) {
                Thread.sleep(idleWait * 1000L);
                System.out.println("manager threads after " + idleWait + " s idle: " + threads());
            }
        }
    }

    /** @return the threads whose names start with {@code autocert4j-}, counted by name without the number */
    private static Map<String, Integer> threads() {
        Map<String, Integer> byKind = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("autocert4j-")) {
                byKind.merge(t.getName().replaceAll("-\\d+$", "-N"), 1, Integer::sum);
            }
        }
        return byKind;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
