package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.OutputFormat;
import dev.autocert4j.SecretTemplate;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.CertificateKeystores;
import dev.autocert4j.store.KeystorePassword;
import dev.autocert4j.store.Pkcs12Keystore;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.KnownSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Against Pebble: changing only a Certificate's secretTemplate, additionalOutputFormats or keystores rewrites its
 * Secret at the manager's next look (obtain, or the check that manage schedules at once) and orders nothing, as
 * cert-manager's post-issuance policies (internal/controller/certificates/policies/policies.go).
 */
class SecretSyncWithoutIssuanceIT {
    private final String password = KnownSecrets.register("pw-" + UUID.randomUUID());

    @Test
    void onlyTheSecretIsRewrittenWhenOnlyItsDerivedPartsChanged() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi();
                PebbleServer pebble = PebbleServer.builder().start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            List<CertificateEvent> events = new CopyOnWriteArrayList<>();
            try (CertificateManager manager = CertificateManager.builder()
                    .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                            .trustedCertificates(pebble.tlsTrustAnchor()).build())
                    .solver(http01).store(KubernetesSecretStore.of(api.client())).listener(events::add).build()) {
                Certificate spec = Certificate.builder("www").namespace("web").secretName("www-tls")
                        .dnsNames("www.example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
                BigInteger serial = manager.obtain(spec).leaf().getSerialNumber();
                int orders = pebble.orderCount();
                Secret issued = secret(api);

                Certificate templated = spec.toBuilder().secretTemplate(new SecretTemplate(Map.of("team", "web"), Map.of("tier", "front")))
                        .additionalOutputFormats(OutputFormat.COMBINED_PEM).build();
                BigInteger afterObtain = manager.obtain(templated).leaf().getSerialNumber();

                Secret synced = secret(api);
                assertThat(synced.getMetadata().getAnnotations()).containsEntry("team", "web");
                assertThat(synced.getMetadata().getLabels()).containsEntry("tier", "front");
                assertThat(synced.getData()).containsKey("tls-combined.pem")
                        .containsEntry("tls.crt", issued.getData().get("tls.crt"))
                        .containsEntry("tls.key", issued.getData().get("tls.key"));

                Certificate withKeystore = spec.toBuilder().keystores(CertificateKeystores.NONE.withPkcs12(
                        Pkcs12Keystore.create(KeystorePassword.literal(password.toCharArray())))).build();
                manager.manage(withKeystore);
                manager.runDue();

                Secret managed = secret(api);
                assertThat(managed.getData()).containsKey("keystore.p12").doesNotContainKey("tls-combined.pem")
                        .containsEntry("tls.crt", issued.getData().get("tls.crt"));
                assertThat(managed.getMetadata().getAnnotations()).doesNotContainKey("team");
                assertThat(afterObtain).isEqualTo(serial);
                assertThat(pebble.orderCount()).as("orders at Pebble").isEqualTo(orders);
                assertThat(events).filteredOn(e -> e.type() == CertificateEvent.Type.ISSUED).hasSize(1);
            }
        }
    }

    private static Secret secret(KubernetesMockApi api) {
        return api.inspector().secrets().inNamespace("web").withName("www-tls").get();
    }
}
