package dev.autocert4j.benchmarks;

import dev.autocert4j.testing.PebbleServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures Pebble's ceiling on this machine with several clients instead of deriving it: for each
 * number of client processes K, a fresh Pebble ({@code PEBBLE_VA_NOSLEEP=1},
 * {@code PEBBLE_AUTHZREUSE=0}, {@code PEBBLE_WFE_NONCEREJECT=0}) and K {@link CeilingClientMain} JVMs,
 * each with its own account and HTTP-01 responder on its own loopback address (127.0.0.2, .3, ...;
 * Pebble's mock DNS sends each client's names there), started together once all have warmed up.
 * Prints per K: certificates a second over the whole run and while all K were still issuing, CPU per
 * certificate of Pebble and of the clients, Pebble's share of the machine's CPU and the machine's
 * busy share, with the load average. When the rate stops rising with K, Pebble (or the machine) is
 * the limit.
 *
 * <p>Usage: {@code java -cp <benchmarks class path> dev.autocert4j.benchmarks.PebbleCeilingMain
 * --clients 1,2,4 --count 200 --concurrency 16 --warmup 30}.
 */
public final class PebbleCeilingMain {
    private PebbleCeilingMain() {
    }

    /** What one client process reported. */
    private record ClientRun(List<Long> done, long cpuMillis) {
    }

    /**
     * @param args {@code --clients} (comma-separated K values), {@code --count} per client,
     *     {@code --concurrency} per client, {@code --warmup} certificates per client before measuring
     * @throws Exception when a client or Pebble fails
     */
    public static void main(String[] args) throws Exception {
        String clients = stringArg(args, "--clients", "1,2,4");
        int count = Integer.parseInt(stringArg(args, "--count", "200"));
        int concurrency = Integer.parseInt(stringArg(args, "--concurrency", "16"));
        int warmup = Integer.parseInt(stringArg(args, "--warmup", "30"));
        List<String> rows = new ArrayList<>();
        for (String k : clients.split(",")) {
            rows.add(measure(Integer.parseInt(k.trim()), count, concurrency, warmup));
            System.out.println(rows.get(rows.size() - 1));
        }
        System.out.println("| clients | cc each | certs | cert/s all | cert/s while all ran | Pebble CPU/c ms | clients CPU/c ms"
                + " | Pebble share of machine | machine busy | load start, end |");
        System.out.println("|---------|---------|-------|------------|----------------------|-----------------|-----------------"
                + "|-------------------------|--------------|-----------------|");
        rows.forEach(System.out::println);
    }

    private static String measure(int clientCount, int count, int concurrency, int warmup) throws Exception {
        Path work = Files.createTempDirectory("pebble-ceiling");
        try (PebbleServer pebble = PebbleServer.builder().vaNoSleep(true).authzReuse(0).nonceRejectPercent(0).start()) {
            Path anchor = work.resolve("pebble-tls.pem");
            Files.writeString(anchor, pem(pebble.tlsTrustAnchor().getEncoded()), StandardCharsets.US_ASCII);
            List<Process> processes = new ArrayList<>();
            List<ClientOutput> outputs = new ArrayList<>();
            try {
                for (int c = 0; c < clientCount; c++) {
                    String prefix = "k" + clientCount + "c" + c;
                    String address = "127.0.0." + (c + 2);
                    for (int i = 0; i < count; i++) {
                        pebble.addARecord(CeilingClientMain.name(prefix, i), address);
                    }
                    for (int i = 0; i < warmup; i++) {
                        pebble.addARecord(CeilingClientMain.name(prefix + "w", i), address);
                    }
                    Process p = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                            CeilingClientMain.class.getName(), pebble.directoryUrl().toString(), anchor.toString(), address,
                            Integer.toString(pebble.httpPort()), prefix, Integer.toString(count), Integer.toString(concurrency),
                            Integer.toString(warmup))
                            .redirectError(work.resolve(prefix + ".err").toFile()).start();
                    processes.add(p);
                    outputs.add(new ClientOutput(p));
                }
                for (int c = 0; c < clientCount; c++) {
                    outputs.get(c).awaitLine("READY", work);
                }
                String loadStart = loadAverage();
                long[] statBefore = cpuTicks();
                long pebbleCpuBefore = pebbleCpuNanos();
                long go = System.currentTimeMillis();
                long goNanos = System.nanoTime();
                for (Process p : processes) {
                    OutputStream in = p.getOutputStream();
                    in.write('\n');
                    in.flush();
                }
                List<ClientRun> runs = new ArrayList<>();
                for (int c = 0; c < clientCount; c++) {
                    Process p = processes.get(c);
                    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                        throw new IllegalStateException("client " + c + " failed: " + Files.readString(work.resolve("k" + clientCount + "c" + c + ".err")));
                    }
                    runs.add(parse(outputs.get(c).allLines()));
                }
                long wallNanos = System.nanoTime() - goNanos;
                long pebbleCpu = pebbleCpuNanos() - pebbleCpuBefore;
                long[] statAfter = cpuTicks();
                return row(clientCount, concurrency, count, go, runs, pebbleCpu, wallNanos, statBefore, statAfter, loadStart);
            } finally {
                processes.forEach(Process::destroyForcibly);
            }
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(work);
        }
    }

    private static String row(int clientCount, int concurrency, int count, long go, List<ClientRun> runs, long pebbleCpuNanos,
            long wallNanos, long[] statBefore, long[] statAfter, String loadStart) throws IOException {
        int total = clientCount * count;
        long end = runs.stream().flatMap(r -> r.done().stream()).mapToLong(Long::longValue).max().orElse(go);
        // the steady part: from the start signal until the first client ran out of work
        long allRunning = runs.stream().mapToLong(r -> r.done().stream().mapToLong(Long::longValue).max().orElse(go)).min().orElse(go);
        long inWindow = runs.stream().flatMap(r -> r.done().stream()).filter(t -> t <= allRunning).count();
        long clientCpuMillis = runs.stream().mapToLong(ClientRun::cpuMillis).sum();
        int cores = Runtime.getRuntime().availableProcessors();
        double pebbleShare = pebbleCpuNanos / (double) (wallNanos * cores);
        long busy = (statAfter[0] - statBefore[0]);
        long all = (statAfter[1] - statBefore[1]);
        return String.format(Locale.ROOT, "| %7d | %7d | %5d | %10.1f | %20.1f | %15.1f | %15.1f | %22.0f %% | %10.0f %% | %s, %s |",
                clientCount, concurrency, total, total / ((end - go) / 1e3), inWindow / Math.max(1e-3, (allRunning - go) / 1e3),
                pebbleCpuNanos / 1e6 / total, (double) clientCpuMillis / total, 100 * pebbleShare,
                all == 0 ? Double.NaN : 100.0 * busy / all, loadStart, loadAverage());
    }

    private static ClientRun parse(List<String> lines) {
        List<Long> done = new ArrayList<>();
        long cpu = 0;
        for (String line : lines) {
            if (line.startsWith("DONE ")) {
                done.add(Long.parseLong(line.substring(5)));
            } else if (line.startsWith("CPU ")) {
                cpu = Long.parseLong(line.substring(4));
            }
        }
        return new ClientRun(done, cpu);
    }

    /** A client's standard output as its reader thread sees it; waits end with a line or the end, not a timer. */
    private static final class ClientOutput {
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;
        private boolean ended;

        ClientOutput(Process p) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        add(line);
                    }
                } catch (IOException e) {
                    add("ERROR " + e);
                } finally {
                    end();
                }
            }, "ceiling-client-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private synchronized void add(String line) {
            lines.add(line);
            notifyAll();
        }

        private synchronized void end() {
            ended = true;
            notifyAll();
        }

        /** Waits for the line, at most ten minutes; fails at once when the client's output ends without it. */
        synchronized void awaitLine(String wanted, Path work) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!lines.contains(wanted)) {
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new IllegalStateException("a client did not get ready; its errors are in " + work);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** @return every line, once the client's output has ended (it has exited: at most a minute more) */
        List<String> allLines() throws InterruptedException {
            reader.join(TimeUnit.MINUTES.toMillis(1));
            synchronized (this) {
                return List.copyOf(lines);
            }
        }
    }

    /** CPU of Pebble and pebble-challtestsrv, this JVM's child processes other than the clients. */
    private static long pebbleCpuNanos() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.contains("pebble")).orElse(false))
                .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
    }

    /** Busy and total ticks of all CPUs from /proc/stat (busy = total - idle - iowait). */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
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
