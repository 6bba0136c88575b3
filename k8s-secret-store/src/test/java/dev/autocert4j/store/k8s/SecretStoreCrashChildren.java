package dev.autocert4j.store.k8s;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.testing.internal.CrashPoint;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the crash tests' child JVMs (and their parents) share when the store is a Kubernetes Secret on a mock API
 * server: the certificate, short Leases, the child's own ACME account, and the renewal that stops dead at a
 * {@link CrashPoint.Instant}. In this module's test-jar for solvers-http-ingress's crash test.
 */
public final class SecretStoreCrashChildren {
    private SecretStoreCrashChildren() {
    }

    /**
     * @param name the certificate's name; its Secret is {@code <name>-tls} in {@code default}
     * @param issuer the ClusterIssuer that issues it
     * @return the certificate for {@code <name>.example.test}
     */
    public static Certificate certificate(String name, String issuer) {
        return Certificate.builder(name).namespace("default").secretName(name + "-tls").dnsNames(name + ".example.test")
                .issuerRef(IssuerRef.clusterIssuer(issuer)).build();
    }

    /**
     * Leases of 10 s instead of the store's default minute: the dead child's Lease blocks the new manager's
     * renewal only that long. Not shorter: on a 2-core box at load ~20 the mock API server (its event loop
     * starved for 2 s and more) answered a Lease create 4.2 s after it was sent, past the 2.5-s renew deadline of
     * the 3-s Leases used before, so the test's own first obtain lost its lock (Dns01CrashIT, 1 of 7 cases).
     *
     * @param client the client of the mock API server
     * @return a lock provider the caller closes
     */
    public static KubernetesLeaseLockProvider shortLeases(KubernetesClient client) {
        return KubernetesLeaseLockProvider.builder(client).namespace(KubernetesSecretStore.DEFAULT_CLUSTER_RESOURCE_NAMESPACE)
                .leaseDuration(Duration.ofSeconds(10)).build();
    }

    /**
     * @param apiServerUrl the mock API server's URL (the child's first argument)
     * @return a client of it in namespace {@code default}
     */
    public static KubernetesClient client(String apiServerUrl) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(apiServerUrl)
                .withNamespace("default").build()).build();
    }

    /**
     * Renews {@code spec} through a manager that stops dead at {@code instant} (see {@link CrashPoint}), and exits
     * with status 3 when the renewal gets through: the test meant to kill the process first.
     *
     * @param client the client of the mock API server; Secrets and Leases live there
     * @param spec the certificate to renew
     * @param issuer the ClusterIssuer's name
     * @param directory the ACME directory URL
     * @param anchorPem the PEM file of Pebble's TLS certificate
     * @param accountKeySecret the Secret of the child's own ACME account key
     * @param solver the solver that presents the challenge
     * @param instant where to stop
     * @throws Exception when the renewal fails
     */
    public static void renewUntilKilled(KubernetesClient client, Certificate spec, String issuer, String directory,
            Path anchorPem, String accountKeySecret, Solver solver, CrashPoint.Instant instant) throws Exception {
        CertificateManager manager = CertificateManager.builder()
                // Its own ACME account: Pebble reuses a valid authorization of the same account for 1 % of
                // orders even at PEBBLE_AUTHZREUSE=0, and then no challenge is presented and the instant never comes.
                .issuer(AcmeIssuer.builder(issuer).directory(URI.create(directory))
                        .trustedCertificates(CrashPoint.trustAnchor(anchorPem)).privateKeySecretRef(accountKeySecret).build())
                .solver(solver)
                .store(KubernetesSecretStore.of(client))
                .lockProvider(shortLeases(client))
                .listener(CrashPoint.listener(instant))
                .build();
        manager.renew(spec);
        System.err.println("renewed: the test expected to kill this process first");
        System.exit(3);
    }
}
