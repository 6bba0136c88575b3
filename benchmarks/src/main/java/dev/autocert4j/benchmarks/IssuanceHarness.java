package dev.autocert4j.benchmarks;

import dev.autocert4j.CertificateManager;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import dev.autocert4j.testing.BindServer;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.internal.PebbleHttp01;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issues N certificates from a local Pebble ({@code PEBBLE_VA_NOSLEEP=1},
 * {@code PEBBLE_AUTHZREUSE=0}, {@code PEBBLE_WFE_NONCEREJECT=0} so that request counts are the
 * protocol's own, one ACME account reused, ECDSA P-256) over HTTP-01 and over DNS-01 (RFC 2136
 * into a local BIND; {@code --http01-only} skips it), sequentially
 * and at a given concurrency, and prints per-certificate latency (min/p50/p90/max), certificates
 * per second, ACME requests per certificate (counted from Pebble's request log) and peak heap.
 *
 * <p>Usage: {@code mvn -q -pl benchmarks exec:java -Dexec.args="--count 200 --concurrency 16"}.
 * The account registration and one warm-up certificate run before measuring. {@code --va-sleep}
 * turns Pebble's random validation sleep (0–15 s) back on, a slow CA; {@code --sequential-only}
 * skips the concurrent runs; {@code --warmup N} issues N certificates at the concurrency, unmeasured, before
 * the concurrent run (steady state: the JIT has compiled the concurrent paths).
 */
public final class IssuanceHarness {
    private IssuanceHarness() {
    }

    /** One measured run. */
    record Result(String label, int count, int concurrency, long[] latenciesNanos, long wallNanos, double requestsPerCert,
            long clientCpuNanos, long pebbleCpuNanos, long jitCpuNanos) {
        String row() {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "| %-32s | %5d | %3d | %7.1f | %7.1f | %7.1f | %7.1f | %7.1f | %5.1f | %6.2f | %6.2f | %7.1f | %5.2f | %4.0f %% |",
                    label, count, concurrency, ms(sorted[0]), ms(percentile(sorted, 50)), ms(percentile(sorted, 90)),
                    ms(sorted[sorted.length - 1]), count / (wallNanos / 1e9), requestsPerCert,
                    ms(clientCpuNanos) / count, ms(pebbleCpuNanos) / count, pebbleCeiling(), ms(jitCpuNanos) / count,
                    100 * busyShare());
        }

        /** Certificates a second Pebble would complete with every core to itself: cores / its CPU per certificate. */
        double pebbleCeiling() {
            return pebbleCpuNanos == 0 ? Double.NaN
                    : Runtime.getRuntime().availableProcessors() / (pebbleCpuNanos / 1e9 / count);
        }

        /** The share of the machine's cores that this JVM and Pebble kept busy during the run. */
        double busyShare() {
            return (clientCpuNanos + pebbleCpuNanos) / (double) wallNanos / Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * @param args {@code --count N} (default 50), {@code --concurrency C} (default 16)
     * @throws Exception when issuance fails; the harness stops loudly
     */
    public static void main(String[] args) throws Exception {
        int count = intArg(args, "--count", 50, 1);
        int concurrency = intArg(args, "--concurrency", 16, 1);
        boolean vaNoSleep = !List.of(args).contains("--va-sleep");
        boolean concurrent = !List.of(args).contains("--sequential-only");
        String pace = vaNoSleep ? "" : " (VA sleep)";
        List<Result> results = new ArrayList<>();
        try (PebbleHttp01 peers = PebbleHttp01.start(PebbleServer.builder().vaNoSleep(vaNoSleep).authzReuse(0).nonceRejectPercent(0))) {
            PebbleServer pebble = peers.pebble();
            CertificateManager manager = peers.manager().build();
            manager.obtain(BenchCertificates.numbered("warmup", 0)); // account registration and class loading, not measured
            results.add(run(manager, pebble, "HTTP-01 sequential" + pace, "seq", count, 1));
            if (concurrent) {
                int warmup = intArg(args, "--warmup", 0, 0);
                if (warmup > 0) { // steady state: the JIT compiles the concurrent paths before the measured run
                    run(manager, pebble, "warm-up", "warm", warmup, concurrency);
                }
                results.add(run(manager, pebble, "HTTP-01 concurrent" + pace, "par", count, concurrency));
            }
            if (List.of(args).contains("--request-profile")) {
                printRequestProfile(pebble.log());
            }
        }
        if (!List.of(args).contains("--http01-only")) {
            // DNS-01: RFC 2136 updates into a local BIND, which Pebble's VA asks; the solver checks
            // the authoritative server before triggering, as in production.
            try (BindServer bind = BindServer.builder().zone("bench.test").start();
                    PebbleServer pebble = PebbleServer.builder().vaNoSleep(vaNoSleep).authzReuse(0).nonceRejectPercent(0)
                            .dnsServer(bind.address()).start()) {
                Dns01Solver dns01 = Dns01Solver.builder()
                        .provider(Rfc2136DnsProvider.builder().nameserver(bind.address())
                                .tsigKey(BindServer.TSIG_KEY_NAME, BindServer.TSIG_ALGORITHM, bind.tsigSecret()).build())
                        .resolvers(bind.address()).nameserverPort(bind.port()).build();
                CertificateManager manager = PebbleHttp01.issuerAndStore(pebble).solver(dns01).build();
                manager.obtain(BenchCertificates.numbered("dns-warmup", 0));
                results.add(run(manager, pebble, "DNS-01 sequential" + pace, "dseq", count, 1));
                if (concurrent) {
                    results.add(run(manager, pebble, "DNS-01 concurrent" + pace, "dpar", count, concurrency));
                }
            }
        }
        System.out.println("| run                              | certs |  cc | min ms  | p50 ms  | p90 ms  | max ms  | cert/s  | req/c | CPU/c  | CA/c   | CA max  | JIT/c | busy   |");
        System.out.println("|----------------------------------|-------|-----|---------|---------|---------|---------|---------|-------|--------|--------|---------|-------|--------|");
        results.forEach(r -> System.out.println(r.row()));
        System.out.printf(Locale.ROOT, "peak heap: %.1f MiB%n", peakHeapBytes() / (1024.0 * 1024.0));
        System.out.println("CPU/c: this JVM's CPU ms per certificate (client, HTTP-01 responder, GC, JIT); CA/c: Pebble's"
                + " (and its DNS server's) CPU ms per certificate; CA max: cores / CA/c, the certificates a second Pebble"
                + " would complete with every core to itself, its ceiling on this machine; JIT/c: CPU ms per certificate of this JVM's"
                + " JIT compiler threads (part of CPU/c); busy: the share of all cores this JVM and Pebble used");
    }

    private static Result run(CertificateManager manager, PebbleServer pebble, String label, String prefix, int count,
            int concurrency) throws Exception {
        long[] latencies = new long[count];
        int requestsBefore = pebble.requestCount();
        long cpuBefore = processCpuNanos();
        long pebbleCpuBefore = childCpuNanos();
        long jitBefore = compilerCpuNanos();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    manager.obtain(BenchCertificates.numbered(prefix, n));
                    latencies[n] = System.nanoTime() - t0;
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long wall = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        long pebbleCpu = childCpuNanos() - pebbleCpuBefore;
        long jit = compilerCpuNanos() - jitBefore;
        double requests = (pebble.requestCount() - requestsBefore) / (double) count;
        return new Result(label, count, concurrency, latencies, wall, requests, cpu, pebbleCpu, jit);
    }

    /** Which ACME resources the requests went to: the profile behind "requests per certificate". */
    private static void printRequestProfile(String log) {
        java.util.Map<String, Integer> byKind = new java.util.TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^Pebble .* (GET|POST|HEAD) (/[a-z-]+)\\S* -> calling handler").matcher(log);
        while (m.find()) {
            byKind.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
        }
        byKind.forEach((kind, n) -> System.out.printf(Locale.ROOT, "%-28s %6d%n", kind, n));
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU of the processes this JVM started: Pebble, its challenge test server, BIND. */
    private static long childCpuNanos() {
        return ProcessHandle.current().descendants()
                .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
    }

    /**
     * CPU of this JVM's JIT compiler threads (Linux: {@code /proc/self/task}), 0 elsewhere. The
     * compilation MXBean's time is wall-clock, which a busy machine inflates several-fold.
     */
    private static long compilerCpuNanos() {
        long ticks = 0;
        try (DirectoryStream<Path> tasks =
                Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (!Files.readString(task.resolve("comm")).matches("(?s)C\\d CompilerThre.*")) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0; // not Linux
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static int intArg(String[] args, String name, int fallback, int min) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                int v = Integer.parseInt(args[i + 1]);
                if (v < min) {
                    throw new IllegalArgumentException(name + " must be at least " + min + ", was " + v);
                }
                return v;
            }
        }
        return fallback;
    }
}
