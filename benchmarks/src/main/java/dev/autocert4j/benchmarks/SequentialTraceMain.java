package dev.autocert4j.benchmarks;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.internal.PebbleHttp01;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the milliseconds of one sequential HTTP-01 issuance go, from the manager's own events
 * (their timestamps): key generation, the order, presenting, the CA's validation (trigger and
 * authorization polls), finalising and the issuance wait, download and store; with the ACME
 * requests of each kind per certificate from Pebble's log. Against a local Pebble with
 * {@code PEBBLE_VA_NOSLEEP=1}, after {@code --warmup} certificates (JIT, the learnt pace).
 *
 * <p>Usage: {@code java -cp <benchmarks class path> dev.autocert4j.benchmarks.SequentialTraceMain
 * --count 200 --warmup 100}.
 */
public final class SequentialTraceMain {
    private SequentialTraceMain() {
    }

    private static final CertificateEvent.Type[] STEPS = {CertificateEvent.Type.GENERATED,
        CertificateEvent.Type.ORDER_CREATED, CertificateEvent.Type.PRESENTED, CertificateEvent.Type.DOMAIN_VERIFIED,
        CertificateEvent.Type.ORDER_COMPLETE, CertificateEvent.Type.ISSUED};
    private static final String[] PHASES = {"obtain → Generated (lock, store read, key pair)",
        "Generated → OrderCreated (CSR, new order)", "OrderCreated → Presented (authorization, present)",
        "Presented → DomainVerified (trigger, validation wait, polls)",
        "DomainVerified → OrderComplete (finalise, issuance wait, polls)",
        "OrderComplete → Issued (download, store, key manager)", "Issued → obtain returns", "obtain total"};

    /**
     * @param args {@code --count N} (default 200), {@code --warmup W} (default 100)
     * @throws Exception when issuance fails
     */
    public static void main(String[] args) throws Exception {
        int count = intArg(args, "--count", 200);
        int warmup = intArg(args, "--warmup", 100);
        Map<String, Map<CertificateEvent.Type, Instant>> events = new ConcurrentHashMap<>();
        try (PebbleHttp01 peers = PebbleHttp01.start(PebbleServer.builder().vaNoSleep(true).authzReuse(0).nonceRejectPercent(0))) {
            PebbleServer pebble = peers.pebble();
            CertificateManager manager = peers.manager()
                    .listener(e -> events.computeIfAbsent(e.certificateId(), id -> new EnumMap<>(CertificateEvent.Type.class))
                            .putIfAbsent(e.type(), e.at()))
                    .build();
            for (int i = 0; i < warmup; i++) {
                manager.obtain(BenchCertificates.numbered("warm", i));
            }
            String logBefore = pebble.log();
            double[][] phases = new double[PHASES.length][count];
            for (int i = 0; i < count; i++) {
                Certificate cert = BenchCertificates.numbered("trace", i);
                Instant start = Instant.now();
                manager.obtain(cert);
                Instant end = Instant.now();
                Map<CertificateEvent.Type, Instant> seen = events.get(cert.id());
                Instant previous = start;
                for (int s = 0; s < STEPS.length; s++) {
                    Instant at = seen.getOrDefault(STEPS[s], previous);
                    phases[s][i] = millis(previous, at);
                    previous = at;
                }
                phases[STEPS.length][i] = millis(previous, end);
                phases[STEPS.length + 1][i] = millis(start, end);
            }
            System.out.println("| phase (sequential, HTTP-01, Pebble without sleep)                | p50 ms | p90 ms | mean ms |");
            System.out.println("|-------------------------------------------------------------------|--------|--------|---------|");
            for (int p = 0; p < PHASES.length; p++) {
                double[] sorted = phases[p].clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "| %-65s | %6.2f | %6.2f | %7.2f |%n", PHASES[p], sorted[count / 2],
                        sorted[(int) Math.min(count - 1, Math.ceil(count * 0.9) - 1)], Arrays.stream(sorted).average().orElse(0));
            }
            printRequests(pebble.log().substring(logBefore.length()), count);
        }
    }

    private static void printRequests(String log, int count) {
        Map<String, Integer> byKind = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(?m)^Pebble .* (GET|POST|HEAD) (/[a-z-]+)\\S* -> calling handler").matcher(log);
        int total = 0;
        while (m.find()) {
            byKind.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
            total++;
        }
        List<String> lines = new ArrayList<>();
        byKind.forEach((kind, n) -> lines.add(String.format(Locale.ROOT, "%-24s %5.2f per certificate", kind, n / (double) count)));
        lines.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "all requests             %5.2f per certificate%n", total / (double) count);
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
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
