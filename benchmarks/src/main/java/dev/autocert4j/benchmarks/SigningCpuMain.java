package dev.autocert4j.benchmarks;

import dev.autocert4j.internal.acme.Es256Signing;
import dev.autocert4j.internal.x509.P256;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.toolbox.JSONBuilder;
import org.shredzone.acme4j.toolbox.JoseUtils;

/**
 * The CPU time (this thread's, not wall-clock: the build machine is shared and its load moves
 * wall-clock figures by a factor of several) of one signature and one key pair, per key kind and
 * provider: the figures behind the choice of account key and provider. Prints the median of
 * {@code --rounds} rounds of {@code --ops} operations each, after as many warm-up rounds. Then, on
 * 1, 2 and 16 threads at once ({@code --threads}), autocert4j's P-256 signature beside a whole ACME
 * request's JWS as acme4j makes it ({@code JoseUtils.createJoseRequest}: header, JWK, payload,
 * base64 and the ES256 signature): the mean of every thread's CPU per operation.
 *
 * <p>Usage: {@code java -cp <benchmarks class path> dev.autocert4j.benchmarks.SigningCpuMain --rounds 7 --ops 400 --threads 1,2,16}.
 */
public final class SigningCpuMain {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final byte[] JWS_INPUT = ("eyJhbGciOiJFUzI1NiIsIm5vbmNlIjoiQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoiLCJ1cmwiOiJodHRwczovLzEyNy4wLjAuMToxNDAwMC9vcmRlci9hYmMifQ"
            + ".eyJpZGVudGlmaWVycyI6W3sidHlwZSI6ImRucyIsInZhbHVlIjoicGFyLTEuYmVuY2gudGVzdCJ9XX0").getBytes(StandardCharsets.US_ASCII);

    private SigningCpuMain() {
    }

    /** One operation measured. */
    @FunctionalInterface
    interface Op {
        Object run() throws Exception;
    }

    /**
     * @param args {@code --rounds R} (default 7), {@code --ops N} per round (default 300)
     * @throws Exception when a provider lacks an algorithm
     */
    public static void main(String[] args) throws Exception {
        int rounds = intArg(args, "--rounds", 7);
        int ops = intArg(args, "--ops", 300);
        Provider bc = new BouncyCastleProvider();
        System.out.println("| key / provider        | sign µs CPU | key pair µs CPU |");
        System.out.println("|-----------------------|-------------|-----------------|");
        for (String kind : new String[] {"EC P-256", "RSA 2048"}) {
            for (Provider p : new Provider[] {null, bc}) {
                boolean ec = kind.startsWith("EC");
                KeyPairGenerator g = p == null ? KeyPairGenerator.getInstance(ec ? "EC" : "RSA")
                        : KeyPairGenerator.getInstance(ec ? "EC" : "RSA", p);
                if (ec) {
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                } else {
                    g.initialize(2048);
                }
                KeyPair pair = g.generateKeyPair();
                String alg = ec ? "SHA256withECDSA" : "SHA256withRSA";
                double sign = median(rounds, ops, () -> {
                    Signature s = p == null ? Signature.getInstance(alg) : Signature.getInstance(alg, p);
                    s.initSign(pair.getPrivate());
                    s.update(JWS_INPUT);
                    return s.sign();
                });
                // RSA key generation costs hundreds of milliseconds: fewer of them.
                double keys = median(rounds, ec ? ops : Math.max(1, ops / 100), g::generateKeyPair);
                String name = kind + " / " + (p == null ? "JDK" : "BC");
                System.out.printf(Locale.ROOT, "| %-21s | %11.0f | %15.0f |%n", name, sign, keys);
            }
        }
        // What autocert4j uses: BC's lightweight API behind JDK key objects, no provider.
        KeyPair pair = P256.generateKeyPair();
        double sign = median(rounds, ops, () -> {
            Signature s = P256.newSha256WithEcdsa();
            s.initSign(pair.getPrivate());
            s.update(JWS_INPUT);
            return s.sign();
        });
        double keys = median(rounds, ops, P256::generateKeyPair);
        System.out.printf(Locale.ROOT, "| %-21s | %11.0f | %15.0f |%n", "EC P-256 / autocert4j", sign, keys);
        concurrentJws(rounds, ops, stringArg(args, "--threads", "1,2,16"), pair);
    }

    /** The JWS of one ACME request against the bare signature, per number of threads signing at once. */
    private static void concurrentJws(int rounds, int ops, String threadCounts, KeyPair account) throws Exception {
        Es256Signing.install(); // as an issuer's first directory read does
        URL url = new URL("https://127.0.0.1:14000/my-account/1");
        Op jws = () -> JoseUtils.createJoseRequest(url, account,
                new JSONBuilder().array("identifiers", List.of(Map.of("type", "dns", "value", "par-1.bench.test"))),
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", url.toString());
        Op signature = () -> {
            Signature s = P256.newSha256WithEcdsa();
            s.initSign(account.getPrivate());
            s.update(JWS_INPUT);
            return s.sign();
        };
        System.out.println();
        System.out.println("| operation (autocert4j)            | threads | µs CPU per op |");
        System.out.println("|-----------------------------------|---------|---------------|");
        for (String t : threadCounts.split(",")) {
            int threads = Integer.parseInt(t.trim());
            System.out.printf(Locale.ROOT, "| %-33s | %7d | %13.0f |%n", "P-256 signature", threads,
                    median(rounds, ops, threads, signature));
            System.out.printf(Locale.ROOT, "| %-33s | %7d | %13.0f |%n", "acme4j JWS (JSON, base64, ES256)", threads,
                    median(rounds, ops, threads, jws));
        }
    }

    private static double median(int rounds, int ops, Op op) throws Exception {
        return median(rounds, ops, 1, op);
    }

    /** @return the median over rounds of the CPU µs per operation, all threads' CPU over all their operations */
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
