package dev.autocert4j.benchmarks;

import dev.autocert4j.internal.acme.Es256Signing;
import dev.autocert4j.internal.x509.P256;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.shredzone.acme4j.toolbox.JSONBuilder;
import org.shredzone.acme4j.toolbox.JoseUtils;

/**
 * The CPU time of one ACME request's JWS as acme4j makes it ({@code JoseUtils.createJoseRequest}:
 * header, JWK, payload, base64, the ES256 signature) beside the bare P-256 signature, on one thread
 * and on several at once: the issuance profile at concurrency 16 showed more CPU per signature than
 * {@link SigningCpuMain}'s single thread. Each thread's own CPU time, not wall-clock; medians of
 * {@code --rounds} rounds of {@code --ops} operations per thread, after as many warm-up rounds.
 *
 * <p>Usage: {@code java -cp <benchmarks class path> dev.autocert4j.benchmarks.JwsCpuMain --rounds 5 --ops 500 --threads 1,2,16}.
 */
public final class JwsCpuMain {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private JwsCpuMain() {
    }

    /** One operation measured. */
    @FunctionalInterface
    interface Op {
        Object run() throws Exception;
    }

    /**
     * @param args {@code --rounds R} (default 5), {@code --ops N} per thread and round (default 500),
     *     {@code --threads 1,2,16} (default)
     * @throws Exception when signing fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = intArg(args, "--rounds", 5);
        int ops = intArg(args, "--ops", 500);
        String threadList = stringArg(args, "--threads", "1,2,16");
        Es256Signing.install();
        KeyPair account = P256.generateKeyPair();
        URL url = new URL("https://127.0.0.1:14000/my-account/1");
        byte[] input = "eyJhbGciOiJFUzI1NiJ9.eyJpZGVudGlmaWVycyI6W119".getBytes(StandardCharsets.US_ASCII);
        Op jws = () -> JoseUtils.createJoseRequest(url, account,
                new JSONBuilder().array("identifiers", List.of(java.util.Map.of("type", "dns", "value", "par-1.bench.test"))),
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "https://127.0.0.1:14000/my-account/1");
        Op signature = () -> {
            Signature s = P256.newSha256WithEcdsa();
            s.initSign(account.getPrivate());
            s.update(input);
            return s.sign();
        };
        System.out.println("| operation                         | threads | µs CPU per op (median) |");
        System.out.println("|-----------------------------------|---------|------------------------|");
        for (String t : threadList.split(",")) {
            int threads = Integer.parseInt(t.trim());
            System.out.printf(Locale.ROOT, "| %-33s | %7d | %22.0f |%n", "P-256 signature", threads, median(rounds, ops, threads, signature));
            System.out.printf(Locale.ROOT, "| %-33s | %7d | %22.0f |%n", "acme4j JWS (ES256 + JSON, base64)", threads, median(rounds, ops, threads, jws));
        }
    }

    /** @return the median over rounds of the mean CPU µs per operation over all threads */
    private static double median(int rounds, int ops, int threads, Op op) throws Exception {
        double[] perOp = new double[rounds];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int r = -rounds; r < rounds; r++) { // the first half warms up
                List<Future<Long>> cpu = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    cpu.add(pool.submit(() -> {
                        long t0 = THREADS.getCurrentThreadCpuTime();
                        for (int n = 0; n < ops; n++) {
                            if (op.run() == null) {
                                throw new IllegalStateException("no result");
                            }
                        }
                        return THREADS.getCurrentThreadCpuTime() - t0;
                    }));
                }
                long total = 0;
                for (Future<Long> f : cpu) {
                    total += f.get();
                }
                if (r >= 0) {
                    perOp[r] = total / 1e3 / ((double) ops * threads);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Arrays.sort(perOp);
        return perOp[rounds / 2];
    }

    private static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
