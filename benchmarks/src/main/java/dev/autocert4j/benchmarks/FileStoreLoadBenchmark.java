package dev.autocert4j.benchmarks;

import dev.autocert4j.Certificate;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Loading 1,000 certificates from the file store, as a manager does at start. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class FileStoreLoadBenchmark {
    private static final int COUNT = 1_000;

    private Path root;
    private FileCertificateStore store;
    private final List<Certificate> certificates = new ArrayList<>();

    /**
     * Writes 1,000 ECDSA certificates into a fresh store.
     *
     * @throws Exception when the store cannot be written
     */
    @Setup(Level.Trial)
    public void fill() throws Exception {
        root = Files.createTempDirectory("autocert4j-bench-");
        store = FileCertificateStore.of(root);
        for (int i = 0; i < COUNT; i++) {
            Certificate c = TestCertificates.certificate("default", "c" + i, "c" + i + ".bench.test");
            certificates.add(c);
            store.save(c, TestCertificates.issue(c, 1));
        }
    }

    /**
     * @param sink keeps the loaded certificates alive
     * @throws Exception when a load fails
     */
    @Benchmark
    public void loadAll(Blackhole sink) throws Exception {
        for (Certificate c : certificates) {
            StoredCertificate s = store.load(c).orElseThrow();
            sink.consume(s);
        }
    }

    /** Deletes the store. */
    @TearDown(Level.Trial)
    public void delete() {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
