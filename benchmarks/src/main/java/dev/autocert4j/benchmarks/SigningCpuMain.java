package dev.autocert4j.benchmarks;

import dev.autocert4j.internal.x509.P256;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The CPU time (this thread's, not wall-clock: the build machine is shared and its load moves
 * wall-clock figures by a factor of several) of one signature and one key pair, per key kind and
 * provider: the figures behind the choice of account key and provider. Prints the median of
 * {@code --rounds} rounds of {@code --ops} operations each, after as many warm-up rounds.
 *
 * <p>Usage: {@code java -cp <benchmarks class path> dev.autocert4j.benchmarks.SigningCpuMain --rounds 7 --ops 400}.
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
    }

    private static double median(int rounds, int ops, Op op) throws Exception {
        double[] perOp = new double[rounds];
        for (int r = -rounds; r < rounds; r++) { // the first half warms up
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                if (op.run() == null) {
                    throw new IllegalStateException("no result");
                }
            }
            if (r >= 0) {
                perOp[r] = (THREADS.getCurrentThreadCpuTime() - t0) / 1e3 / ops;
            }
        }
        Arrays.sort(perOp);
        return perOp[rounds / 2];
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
