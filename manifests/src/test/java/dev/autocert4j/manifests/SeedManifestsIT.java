package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.solver.dns.cloudflare.CloudflareEmulator;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.solver.dns.cloudflare.PebbleOverBind;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.KnownSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's DNS-01 ClusterIssuer and Certificate, read verbatim, issue a certificate end to end:
 * server overridden to Pebble, Cloudflare to the emulator (which writes into BIND, where Pebble
 * looks), the API key from the Secret the seed tells users to create, the result in Secrets on
 * fabric8's mock API server — as cert-manager would leave them.
 */
class SeedManifestsIT {
    private static final String KEY = KnownSecrets.register("seed-it-global-key-0123456789abcdef");
    private static final String SEED_EMAIL = "roc@imroc.io";

    @RegisterExtension
    static final PebbleOverBind PEERS = PebbleOverBind.withZones(b -> b.zone("imroc.io"));

    @ParameterizedTest
    @ValueSource(strings = {"seed", "v1"})
    void issuesTheSeedCertificateThroughTheSeedDns01ClusterIssuer(String dir) throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi();
                CloudflareEmulator cloudflare = PEERS.cloudflareIntoBind()
                        .zone("imroc.io").globalKey(SEED_EMAIL, KEY)) {
            // the seed: kubectl -n cert-manager create secret generic cloudflare-apikey --from-literal=apikey=<key>
            api.client().secrets().inNamespace("cert-manager").resource(new SecretBuilder().withNewMetadata()
                    .withName("cloudflare-apikey").endMetadata()
                    .addToData("apikey", Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8))).build()).create();

            Manifests manifests = Manifests.load(List.of(ManifestsTest.resource(dir, "dns01-clusterissuer.yaml"),
                    ManifestsTest.resource(dir, "certificate.yaml")), ManifestOptions.builder()
                    .secrets(ref -> secretOnTheApiServer(api, ref))
                    .acmeServerOverride(PEERS.pebble().directoryUrl())
                    .trustedCertificates(PEERS.pebble().tlsTrustAnchor())
                    .cloudflareBaseUrl(cloudflare.baseUrl())
                    .dns01(PEERS::resolvingThroughBind)
                    .build());
            Certificate certificate = manifests.certificate("kubernetes-dashboard", "dashboard-imroc-io").orElseThrow();

            StoredCertificate issued;
            try (CertificateManager manager = manifests.applyTo(CertificateManager.builder())
                    .store(KubernetesSecretStore.of(api.client())).build()) {
                issued = manager.obtain(certificate);
            }

            assertThat(sans(issued.leaf())).containsExactly("dashboard.imroc.io");
            Secret tls = api.client().secrets().inNamespace("kubernetes-dashboard").withName("dashboard-imroc-io-tls").get();
            assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
            assertThat(tls.getMetadata().getAnnotations())
                    .containsEntry("cert-manager.io/issuer-name", "letsencrypt-dns01")
                    .containsEntry("cert-manager.io/issuer-kind", "ClusterIssuer");
            X509Certificate stored = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(tls.getData().get("tls.crt"))));
            assertThat(stored).isEqualTo(issued.leaf());
            assertThat(api.client().secrets().inNamespace("cert-manager").withName("letsencrypt-dns01").get())
                    .as("the ACME account key, in privateKeySecretRef").isNotNull();
            assertThat(cloudflare.requests()).anyMatch(r -> r.startsWith("POST ")).anyMatch(r -> r.startsWith("DELETE "));
            assertThat(cloudflare.txtRecordCount()).as("TXT records left at Cloudflare").isZero();
        }
    }

    /** What KubernetesSecretResolver of autocert4j-manifests-k8s does, which this module cannot depend on. */
    private static Optional<String> secretOnTheApiServer(KubernetesMockApi api, SecretRef ref) {
        return Optional.ofNullable(api.client().secrets().inNamespace(ref.namespace()).withName(ref.name()).get())
                .map(secret -> secret.getData().get(ref.key()))
                .map(value -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
    }

    private static List<String> sans(X509Certificate leaf) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
            out.add(String.valueOf(san.get(1)));
        }
        return out;
    }
}
