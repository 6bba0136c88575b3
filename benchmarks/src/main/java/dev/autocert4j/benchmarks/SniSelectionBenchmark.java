package dev.autocert4j.benchmarks;

import dev.autocert4j.CertificateManager;
import dev.autocert4j.internal.tls.SniKeyManager;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the manager's key manager does in each TLS handshake: choose the certificate for the SNI
 * name, then hand out its chain and key; with 10 and with 10,000 managed certificates. The names
 * asked for cycle through every managed certificate, so the larger map is not served from one
 * cache line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SniSelectionBenchmark {
    /** How many certificates the manager serves. */
    @Param({"10", "10000"})
    public int certificates;

    private CertificateManager manager;
    private SniKeyManager keyManager;
    private String[] names;
    private String[] upperCaseNames;
    private int next;

    /** Manages and issues the certificates through a manager with an in-memory test CA. */
    @Setup(Level.Trial)
    public void manage() {
        manager = CertificateManager.builder().issuer(new TestCaIssuer()).store(new InMemoryCertificateStore())
                .defaultServerName(ManagedCertificates.dnsName(0)).build();
        ManagedCertificates.manageAndIssue(manager, ManagedCertificates.specs(certificates));
        keyManager = (SniKeyManager) manager.keyManager();
        if (keyManager.size() != certificates) {
            throw new IllegalStateException("the key manager serves " + keyManager.size() + " of " + certificates);
        }
        names = new String[certificates];
        upperCaseNames = new String[certificates];
        for (int i = 0; i < certificates; i++) {
            names[i] = ManagedCertificates.dnsName(i);
            upperCaseNames[i] = names[i].toUpperCase(java.util.Locale.ROOT) + ".";
        }
    }

    /** Stops the manager. */
    @TearDown(Level.Trial)
    public void close() {
        manager.close();
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == certificates ? 0 : i + 1;
        return i;
    }

    /**
     * An exact SNI match, then the chain and key of the chosen alias: a handshake's key-manager work.
     *
     * @param sink keeps the results alive
     */
    @Benchmark
    public void exactName(Blackhole sink) {
        String alias = keyManager.aliasFor(names[nextIndex()]);
        X509Certificate[] chain = keyManager.getCertificateChain(alias);
        PrivateKey key = keyManager.getPrivateKey(alias);
        sink.consume(chain);
        sink.consume(key);
    }

    /** @return the alias for a name as a client may send it: upper case, with the root dot */
    @Benchmark
    public String mixedCaseNameWithRootDot() {
        return keyManager.aliasFor(upperCaseNames[nextIndex()]);
    }

    /** @return the alias for a name no certificate covers: a wildcard miss, then the default name */
    @Benchmark
    public String unknownNameFallsBackToDefault() {
        return keyManager.aliasFor("unknown.elsewhere.example.test");
    }
}
