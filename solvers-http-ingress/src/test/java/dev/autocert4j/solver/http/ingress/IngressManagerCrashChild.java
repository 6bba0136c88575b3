package dev.autocert4j.solver.http.ingress;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.internal.CrashPoint;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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
        return Certificate.builder(name).namespace("default").secretName(name + "-tls").dnsNames(name + ".example.test")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt-http01")).build();
    }

    static IngressHttp01Solver solver(KubernetesClient client, String mode, int ingressPort) {
        IngressHttp01Solver.Builder b = IngressHttp01Solver.builder(client).namespace("default").service("app", 8080)
                .selfCheckAddress(new InetSocketAddress("127.0.0.1", ingressPort)).selfCheckTimeout(Duration.ofSeconds(30));
        return (mode.equals("name") ? b.existingIngress("challenge") : b.ingressClass("nginx")).build();
    }

    /**
     * Leases of a few seconds instead of the store's default minute: the dead child's Lease blocks the new
     * manager's renewal only that long.
     */
    static KubernetesLeaseLockProvider lockProvider(KubernetesClient client) {
        return KubernetesLeaseLockProvider.builder(client).namespace(KubernetesSecretStore.DEFAULT_CLUSTER_RESOURCE_NAMESPACE)
                .leaseDuration(Duration.ofSeconds(3)).build();
    }

    /** @param args see the class description */
    public static void main(String[] args) throws Exception {
        String stage = args[2];
        Certificate spec = certificate(args[3]);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(args[0])
                .withNamespace("default").build()).build()) {
            KubernetesSecretStore store = KubernetesSecretStore.of(client);
            if (stage.equals("STORE")) {
                CrashPoint.saveOverAndOver(store, spec);
            }
            CrashPoint.Instant instant = CrashPoint.Instant.valueOf(stage);
            X509Certificate anchor = CrashPoint.trustAnchor(Path.of(args[5]));
            CertificateManager manager = CertificateManager.builder()
                    // Its own ACME account: Pebble reuses a valid authorization of the same account for 1 % of
                    // orders even at PEBBLE_AUTHZREUSE=0, and then no challenge is presented and the instant never comes.
                    .issuer(AcmeIssuer.builder("letsencrypt-http01").directory(URI.create(args[4])).trustedCertificates(anchor)
                            .privateKeySecretRef("ingress-crash-child-account-key").build())
                    .solver(solver(client, args[1], Integer.parseInt(args[6])))
                    .store(store)
                    .lockProvider(lockProvider(client))
                    .listener(CrashPoint.listener(instant))
                    .build();
            manager.renew(spec);
            System.err.println("renewed: the test expected to kill this process first");
            System.exit(3);
        }
    }
}
