package dev.autocert4j.docs;

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
import dev.autocert4j.solver.http.Http01Solver;
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

    /** In a pod: the responder on the container port, and the ingress controller's Service. */
    static IngressHttp01Solver ingressSolver(KubernetesClient client, String namespace) {
        // tag::ingress-solver[]
        Http01Solver responder = Http01Solver.builder().standalone("0.0.0.0", 8089).build();   // containerPort acme-http
        InetSocketAddress ingressController = new InetSocketAddress("ingress-nginx-controller.ingress-nginx", 80);
        // end::ingress-solver[]
        return ingressSolver(client, namespace, responder, ingressController);
    }

    /** The rest of the snippet, which {@code OnKubernetesIT} runs with its responder and emulated controller. */
    static IngressHttp01Solver ingressSolver(KubernetesClient client, String namespace, Http01Solver responder,
            InetSocketAddress ingressController) {
        // tag::ingress-solver[]
        IngressHttp01Solver http01 = IngressHttp01Solver.builder(client)
                .namespace(namespace)
                .service("shop-acme", 80)                 // the Service above; its pods run the responder
                .ingressClassName("nginx")                // or .ingressClass("nginx") / .existingIngress("challenge")
                .labels(Map.of("team", "shop"))           // cert-manager's ingressTemplate
                .responder(responder)                     // answers the tokens other replicas present, too
                .selfCheckAddress(ingressController)      // the self-check asks the controller's Service (optional)
                .build();
        // end::ingress-solver[]
        return http01;
    }

    /** In a pod: the client, namespace, pod name and issuer from the environment. */
    static StoredCertificate secretsAndLeases(IngressHttp01Solver http01) throws AutocertException, InterruptedException {
        // tag::secrets-and-leases[]
        KubernetesClient client = new KubernetesClientBuilder().build();   // in-cluster config
        String namespace = System.getenv("POD_NAMESPACE");
        String podName = System.getenv("POD_NAME");                         // unique per replica
        AcmeIssuer letsEncrypt = AcmeIssuer.builder("letsencrypt").letsEncrypt().email("ops@example.com").build();
        // end::secrets-and-leases[]
        return secretsAndLeases(client, namespace, podName, letsEncrypt, http01);
    }

    /** The rest of the snippet, which {@code OnKubernetesIT} runs against the mock API and Pebble. */
    static StoredCertificate secretsAndLeases(KubernetesClient client, String namespace, String podName,
            AcmeIssuer letsEncrypt, IngressHttp01Solver http01) throws AutocertException, InterruptedException {
        // tag::secrets-and-leases[]
        KubernetesSecretStore store = KubernetesSecretStore.builder(client)
                .clusterResourceNamespace(namespace)                        // account keys, cleanup journal
                .pkcs12Keystore(new SecretKeyRef("shop-keystore-password", "password"))   // optional
                .build();
        KubernetesLeaseLockProvider locks = KubernetesLeaseLockProvider.builder(client)
                .namespace(namespace)
                .holderIdentity(podName)                                    // the Lease holder
                .leaseDuration(Duration.ofSeconds(60))
                .build();
        CertificateManager manager = CertificateManager.builder()
                .issuer(letsEncrypt)
                .solver(http01)                                             // the IngressHttp01Solver above
                .store(store)
                .lockProvider(locks)                                        // or leave out: store.defaultLockProvider()
                .build();
        StoredCertificate cert = manager.obtain(Certificate.builder("shop").namespace(namespace)
                .secretName("shop-tls").dnsNames("shop.example.com")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt")).build());
        // On shutdown: manager.close(); http01.close() (stops its Ingress watch); responder.close(); locks.close(); client.close().
        // end::secrets-and-leases[]
        manager.close();
        locks.close();
        return cert;
    }

    /** The manager and the Ingress solvers the manifests snippet made, for the caller to close. */
    record Running(CertificateManager manager, IngressHttp01SolverFactory ingress) {
    }

    /** In a pod: the client, namespace, responder and ingress controller from the environment. */
    static Running manifests() throws ManifestException, IOException {
        // tag::manifests[]
        KubernetesClient client = new KubernetesClientBuilder().build();
        String namespace = System.getenv("POD_NAMESPACE");
        Http01Solver responder = Http01Solver.builder().standalone("0.0.0.0", 8089).build();   // containerPort acme-http
        InetSocketAddress ingressController = new InetSocketAddress("ingress-nginx-controller.ingress-nginx", 80);
        // end::manifests[]
        return manifests(client, namespace, responder, ingressController);
    }

    /**
     * The rest of the snippet, which {@code OnKubernetesIT} runs against the mock API, the ingress controller emulator
     * and Pebble, with {@code clusterissuer.yaml} and {@code certificate.yaml} in the working directory.
     */
    static Running manifests(KubernetesClient client, String namespace, Http01Solver responder,
            InetSocketAddress ingressController) throws ManifestException, IOException {
        // tag::manifests[]
        IngressHttp01SolverFactory ingress = IngressHttp01SolverFactory.builder(client)     // http01.ingress solvers
                .namespace(namespace).service("shop-acme", 80).responder(responder)
                .selfCheckAddress(ingressController).build();
        KubernetesSecretStore store = KubernetesSecretStore.of(client, namespace);   // the cluster resource namespace
        ManifestOptions options = ManifestOptions.builder()
                .store(store)                                      // ClusterIssuers' Secrets from the store's namespace
                .secrets(KubernetesSecretResolver.of(client))      // apiKeySecretRef & co. from Secrets
                .http01Solvers(ingress)
                .build();
        Manifests manifests = Manifests.load(List.of(Path.of("clusterissuer.yaml"), Path.of("certificate.yaml")), options);
        CertificateManager manager = manifests.applyTo(CertificateManager.builder())   // issuers, solvers, the store
                .build();
        manifests.certificates().forEach(manager::manage);
        manager.start();
        // On shutdown: manager.close(); ingress.close() (stops the Ingress watches); responder.close(); client.close().
        // end::manifests[]
        return new Running(manager, ingress);
    }
}
