package dev.autocert4j.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one certificate costs in public-key arithmetic, per provider: a JWS signature (seven per
 * certificate with the account key), a CSR signature and a P-256 key pair. The JDK's SunEC and
 * SunRsaSign against BouncyCastle, P-256 against an RSA-2048 account key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class AccountSigningBenchmark {
    /** The key and provider: {@code ec256-jdk}, {@code ec256-bc}, {@code rsa2048-jdk}, {@code rsa2048-bc}. */
    @Param({"ec256-jdk", "ec256-bc", "rsa2048-jdk", "rsa2048-bc"})
    public String key;

    private Provider provider;
    private KeyPairGenerator generator;
    private KeyPair pair;
    private String algorithm;
    private final byte[] payload = ("eyJhbGciOiJFUzI1NiIsIm5vbmNlIjoiQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoiLCJ1cmwiOiJodHRwczovLzEyNy4wLjAuMToxNDAwMC9vcmRlci9hYmMifQ"
            + ".eyJpZGVudGlmaWVycyI6W3sidHlwZSI6ImRucyIsInZhbHVlIjoicGFyLTEuYmVuY2gudGVzdCJ9XX0").getBytes(StandardCharsets.US_ASCII);

    /**
     * @throws Exception never for the listed keys
     */
    @Setup
    public void setUp() throws Exception {
        boolean bc = key.endsWith("-bc");
        provider = bc ? new BouncyCastleProvider() : null;
        boolean ec = key.startsWith("ec256");
        generator = bc ? KeyPairGenerator.getInstance(ec ? "EC" : "RSA", provider) : KeyPairGenerator.getInstance(ec ? "EC" : "RSA");
        if (ec) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        pair = generator.generateKeyPair();
        algorithm = ec ? "SHA256withECDSA" : "SHA256withRSA";
    }

    /**
     * @return the signature over a JWS-sized input
     * @throws Exception never
     */
    @Benchmark
    public byte[] sign() throws Exception {
        Signature s = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
        s.initSign(pair.getPrivate());
        s.update(payload);
        return s.sign();
    }

    /**
     * @return a fresh key pair of the kind
     */
    @Benchmark
    public KeyPair generate() {
        return generator.generateKeyPair();
    }
}
