package dev.autocert4j.solver.http.ingress;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.store.k8s.SecretStoreCrashChildren;
import dev.autocert4j.testing.internal.CrashPoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child JVM of {@link IngressManagerCrashIT}: renews a certificate stored in a Kubernetes Secret through a
 * {@link CertificateManager} whose Ingress HTTP-01 solver presents on the parent's mock API server, and stops
 * dead at one instant until the test kills it: after an event (the manager's listeners run on the issuing
 * thread, so a listener that never returns freezes the order exactly there; see {@link CrashPoint}). Stage
 * {@code STORE} instead saves the stored certificate over and over, so that the kill lands in a save.
 *
 * <p>Arguments: API server URL, {@code class} or {@code name}, stage ({@code CHALLENGE_TRIGGERED},
 * {@code ORDER_FINALISED} or {@code STORE}), certificate name, ACME directory URL, PEM file of Pebble's TLS
 * certificate, the port of the ingress controller (for the self-check).
 */
final class IngressManagerCrashChild {
    private IngressManagerCrashChild() {
    }

    static Certificate certificate(String name) {
        return SecretStoreCrashChildren.certificate(name, "letsencrypt-http01");
    }

    static IngressHttp01Solver solver(KubernetesClient client, String mode, int ingressPort) {
        IngressHttp01Solver.Builder b = IngressHttp01Solver.builder(client).namespace("default").service("app", 8080)
                .selfCheckAddress(new InetSocketAddress("127.0.0.1", ingressPort)).selfCheckTimeout(Duration.ofSeconds(30));
        return (mode.equals("name") ? b.existingIngress("challenge") : b.ingressClass("nginx")).build();
    }

    /** @param args see the class description */
    public static void main(String[] args) throws Exception {
        String stage = args[2];
        Certificate spec = certificate(args[3]);
        try (KubernetesClient client = SecretStoreCrashChildren.client(args[0])) {
            if (stage.equals("STORE")) {
                CrashPoint.saveOverAndOver(KubernetesSecretStore.of(client), spec);
            }
            CrashPoint.Instant instant = CrashPoint.Instant.valueOf(stage);
            SecretStoreCrashChildren.renewUntilKilled(client, spec, "letsencrypt-http01", args[4], Path.of(args[5]),
                    "ingress-crash-child-account-key", solver(client, args[1], Integer.parseInt(args[6])), instant);
        }
    }
}
