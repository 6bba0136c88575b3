package dev.autocert4j.solver.http.ingress;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.IntentJournal;
import dev.autocert4j.testing.internal.CrashPoint;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The child JVM of {@link IngressCrashIT}: presents one challenge through the Ingress solver against the
 * parent's API server, with a journal stand-in that appends each intent to a file (synced), and blocks at
 * the instant it is told until the test kills it. Arguments: API server URL, {@code class} or {@code name},
 * the {@link CrashPoint.Instant} ({@code INTENT_WRITTEN} or {@code CREATE_RETURNED}), the journal file.
 */
final class IngressCrashChild {
    private IngressCrashChild() {
    }

    /** @param args see the class description */
    public static void main(String[] args) throws Exception {
        CrashPoint.Instant instant = CrashPoint.Instant.valueOf(args[2]);
        Path journal = Path.of(args[3]);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(args[0])
                .withNamespace("default").build()).build()) {
            IngressHttp01Solver.Builder b = IngressHttp01Solver.builder(client).namespace("default").service("app", 80);
            IngressHttp01Solver solver = (args[1].equals("name") ? b.existingIngress("challenge") : b.ingressClass("nginx")).build();
            IntentJournal intents = handle -> {
                append(journal, handle);
                if (instant == CrashPoint.Instant.INTENT_WRITTEN) {
                    CrashPoint.reached(instant.name());
                }
            };
            solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("crash.example.test"), "tok-crash",
                    "tok-crash.thumbprint"), intents);
            if (instant == CrashPoint.Instant.INTENT_WRITTEN) {
                System.err.println("presented without recording an intent first: the test expected to kill this process");
                System.exit(3);
            }
            CrashPoint.reached(instant.name()); // CREATE_RETURNED: made, no confirmed handle anywhere
        }
    }

    private static void append(Path file, String line) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(StandardCharsets.UTF_8.encode(line + "\n"));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
