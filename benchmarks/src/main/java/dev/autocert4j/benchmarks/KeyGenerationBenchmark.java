package dev.autocert4j.benchmarks;

import dev.autocert4j.PrivateKeySpec;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Key generation per algorithm a certificate may ask for: the first step of every issuance. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class KeyGenerationBenchmark {
    /** Which key: the names of {@link PrivateKeySpec}'s factories. */
    @Param({"rsa2048", "rsa3072", "ecdsa256", "ecdsa384", "ed25519"})
    public String key;

    /**
     * @return a fresh key pair
     * @throws Exception never for the listed algorithms
     */
    @Benchmark
    public KeyPair generate() throws Exception {
        switch (key) {
            case "rsa2048", "rsa3072" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(key.equals("rsa2048") ? 2048 : 3072);
                return g.generateKeyPair();
            }
            case "ecdsa256", "ecdsa384" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(key.equals("ecdsa256") ? "secp256r1" : "secp384r1"));
                return g.generateKeyPair();
            }
            default -> {
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            }
        }
    }
}
