package dev.autocert4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.kubernetes.ApiRequest;
import dev.autocert4j.testing.kubernetes.IngressControllerEmulator;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's Kubernetes snippets ({@link OnKubernetes}, from the line after the environment is read) against
 * fabric8's mock API, the ingress controller emulator on Pebble's HTTP-01 port, and Pebble: Pebble's VA → the emulated
 * controller → the Ingress the solver wrote → the Service {@code shop-acme:80} → the application's responder.
 */
class OnKubernetesIT {
    private static final String NAMESPACE = "shop";
    private static PebbleServer pebble;
    private KubernetesMockApi api;
    private IngressControllerEmulator nginx;
    private Http01Solver responder;

    @BeforeAll
    static void startPebble() {
        pebble = PebbleServer.builder().authzReuse(0).start();
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
    }

    /** The cluster of the README's Deployment: the Service shop-acme:80 reaches the pod's responder. */
    @BeforeEach
    void startCluster() throws Exception {
        api = new KubernetesMockApi();
        nginx = new IngressControllerEmulator(api.client(), "nginx", pebble.httpPort());
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        responder = Http01Solver.builder().standalone("127.0.0.1", port).build();   // the test's 0.0.0.0:8089
        responder.start();
        nginx.backend(NAMESPACE, "shop-acme", 80, port);
    }

    @AfterEach
    void stopCluster() throws Exception {
        if (responder != null) {
            responder.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        api.close();
        Files.deleteIfExists(Path.of("clusterissuer.yaml"));
        Files.deleteIfExists(Path.of("certificate.yaml"));
    }

    @Test
    void theWiringSnippetIssuesIntoASecretThroughTheIngressAndLeavesNoIngressBehind() throws Exception {
        createSecret("shop-keystore-password", Map.of("password", Base64.getEncoder().encodeToString(
                "changeit".getBytes(StandardCharsets.US_ASCII))));
        IngressHttp01Solver http01 = OnKubernetes.ingressSolver(api.client(), NAMESPACE, responder, controller());
        AcmeIssuer letsEncrypt = AcmeIssuer.builder("letsencrypt").directory(pebble.directoryUrl())
                .trustedCertificates(pebble.tlsTrustAnchor()).email("ops@example.com").build();
        try {
            StoredCertificate cert = OnKubernetes.secretsAndLeases(api.client(), NAMESPACE, "shop-0", letsEncrypt, http01);

            assertThat(cert.leaf().getSubjectAlternativeNames()).extracting(san -> String.valueOf(san.get(1)))
                    .containsExactly("shop.example.com");
        } finally {
            http01.close();
        }

        Secret secret = secret("shop-tls");
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsKeys("tls.crt", "tls.key", "keystore.p12");
        assertThat(nginx.routed()).as("Pebble's validation went through the temporary Ingress")
                .anyMatch(line -> line.startsWith("shop.example.com /.well-known/acme-challenge/")
                        && line.contains(NAMESPACE + "/autocert4j-http01-"));
        assertThat(api.requests()).as("the replica took a Lease").extracting(ApiRequest::resource).contains("leases");
        assertThat(ingresses()).as("temporary Ingresses after success").isEmpty();
    }

    @Test
    void theManifestsSnippetIssuesTheLoadedCertificateIntoASecretAndLeavesNoIngressBehind() throws Exception {
        writeManifests();
        OnKubernetes.Running running = OnKubernetes.manifests(api.client(), NAMESPACE, responder, controller());
        try {
            await(() -> api.client().secrets().inNamespace(NAMESPACE).withName("shop-tls").get() != null,
                    "the Secret shop-tls");
            await(() -> ingresses().isEmpty(), "no temporary Ingress");
        } finally {
            running.manager().close();
            running.ingress().close();
        }

        Secret secret = secret("shop-tls");
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/certificate-name", "shop")
                .containsEntry("cert-manager.io/issuer-name", "letsencrypt-http01")
                .containsEntry("cert-manager.io/alt-names", "shop.example.com");
        assertThat(api.client().secrets().inNamespace(NAMESPACE).withName("letsencrypt-http01-account").get())
                .as("the ClusterIssuer's account key, in the namespace set once in ManifestOptions").isNotNull();
        assertThat(nginx.routed()).anyMatch(line -> line.startsWith("shop.example.com /.well-known/acme-challenge/"));
        assertThat(ingresses()).as("temporary Ingresses after success").isEmpty();
    }

    /** The snippets' {@code ingressController}: the emulated controller, as the controller's Service in a cluster. */
    private InetSocketAddress controller() {
        return new InetSocketAddress("127.0.0.1", nginx.port());
    }

    /** What the README's manifests snippet loads, aimed at Pebble through the ClusterIssuer's own fields. */
    private static void writeManifests() throws Exception {
        String caBundle = Base64.getEncoder().encodeToString(
                Pem.encodeChain(List.of(pebble.tlsTrustAnchor())).getBytes(StandardCharsets.US_ASCII));
        Files.writeString(Path.of("clusterissuer.yaml"), """
                apiVersion: cert-manager.io/v1
                kind: ClusterIssuer
                metadata: {name: letsencrypt-http01}
                spec:
                  acme:
                    server: %s
                    caBundle: %s
                    email: ops@example.com
                    privateKeySecretRef: {name: letsencrypt-http01-account}
                    solvers:
                      - http01:
                          ingress: {class: nginx}
                """.formatted(pebble.directoryUrl(), caBundle));
        Files.writeString(Path.of("certificate.yaml"), """
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata: {name: shop, namespace: shop}
                spec:
                  secretName: shop-tls
                  dnsNames: [shop.example.com]
                  issuerRef: {name: letsencrypt-http01, kind: ClusterIssuer}
                """);
    }

    private void createSecret(String name, Map<String, String> data) {
        api.client().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(NAMESPACE).endMetadata().withData(data).build()).create();
    }

    private Secret secret(String name) {
        Secret secret = api.client().secrets().inNamespace(NAMESPACE).withName(name).get();
        assertThat(secret).as("Secret %s/%s", NAMESPACE, name).isNotNull();
        return secret;
    }

    private List<Ingress> ingresses() {
        return api.client().network().v1().ingresses().inNamespace(NAMESPACE).list().getItems();
    }

    /** A bounded wait for what the started manager does in the background. */
    private static void await(BooleanSupplier condition, String what) {
        Poll.until(Duration.ofSeconds(60), condition, () -> "waited 60 s for " + what);
    }
}
