package dev.autocert4j.docs;

import com.sun.net.httpserver.HttpServer;
import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.manifests.ManifestException;
import dev.autocert4j.manifests.ManifestOptions;
import dev.autocert4j.manifests.Manifests;
import dev.autocert4j.manifests.k8s.IngressHttp01SolverFactory;
import dev.autocert4j.manifests.k8s.KubernetesSecretResolver;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.store.k8s.SecretKeyRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The README's Kubernetes sections: the Ingress solver, Secrets and Leases, cert-manager manifests. */
final class OnKubernetes {
    private OnKubernetes() {
    }

    static IngressHttp01Solver ingressSolver(KubernetesClient client, String namespace) throws IOException {
        // tag::ingress-solver[]
        IngressHttp01Solver http01 = IngressHttp01Solver.builder(client)
                .namespace(namespace)
                .service("shop-acme", 80)                 // the Service above; its pods serve http01.handler()
                .ingressClassName("nginx")                // or .ingressClass("nginx") / .existingIngress("challenge")
                .labels(Map.of("team", "shop"))           // cert-manager's ingressTemplate
                .build();
        HttpServer responder = HttpServer.create(new InetSocketAddress(8089), 0);   // containerPort acme-http
        responder.createContext("/.well-known/acme-challenge/", http01.handler());
        responder.start();
        // end::ingress-solver[]
        return http01;
    }

    static StoredCertificate secretsAndLeases(IngressHttp01Solver http01) throws AutocertException, InterruptedException {
        // tag::secrets-and-leases[]
        KubernetesClient client = new KubernetesClientBuilder().build();   // in-cluster config
        String namespace = System.getenv("POD_NAMESPACE");
        KubernetesSecretStore store = KubernetesSecretStore.builder(client)
                .clusterResourceNamespace(namespace)                        // account keys, cleanup journal
                .pkcs12Keystore(new SecretKeyRef("shop-keystore-password", "password"))   // optional
                .build();
        KubernetesLeaseLockProvider locks = KubernetesLeaseLockProvider.builder(client)
                .namespace(namespace)
                .holderIdentity(System.getenv("POD_NAME"))                  // unique per replica
                .leaseDuration(Duration.ofSeconds(60))
                .build();
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("letsencrypt").letsEncrypt().email("ops@example.com").build())
                .solver(http01)                                             // the IngressHttp01Solver above
                .store(store)
                .lockProvider(locks)                                        // or leave out: store.defaultLockProvider()
                .build();
        StoredCertificate cert = manager.obtain(Certificate.builder("shop").namespace(namespace)
                .secretName("shop-tls").dnsNames("shop.example.com")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt")).build());
        // On shutdown: manager.close(); http01.close() (stops its Ingress watch); locks.close(); client.close().
        // end::secrets-and-leases[]
        return cert;
    }

    static CertificateManager manifests(String namespace) throws ManifestException, IOException {
        // tag::manifests[]
        KubernetesClient client = new KubernetesClientBuilder().build();
        Manifests manifests = Manifests.load(List.of(Path.of("clusterissuer.yaml"), Path.of("certificate.yaml")),
                ManifestOptions.builder()
                        .secrets(KubernetesSecretResolver.of(client))      // apiKeySecretRef & co. from Secrets
                        .http01Solvers(IngressHttp01SolverFactory.of(client, namespace, "shop", 8080, b -> { }))
                        .build());
        CertificateManager manager = manifests.applyTo(CertificateManager.builder())   // issuers + solvers
                .store(KubernetesSecretStore.of(client))
                .build();
        manifests.certificates().forEach(manager::manage);
        manager.start();
        // end::manifests[]
        return manager;
    }
}
