package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PreflightException;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.KnownSecrets;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A missing keystore password Secret is found before the order, not after Pebble issued: no order, no key, a
 * counted failure in the store; once the Secret exists the next obtain issues.
 */
class KeystorePasswordPreflightIT {
    @Test
    void aMissingKeystorePasswordSecretPlacesNoOrder() throws Exception {
        String password = KnownSecrets.register("pw-" + UUID.randomUUID());
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        try (KubernetesMockApi api = new KubernetesMockApi();
                PebbleServer pebble = PebbleServer.builder().start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            KubernetesSecretStore store = KubernetesSecretStore.builder(api.client())
                    .pkcs12Keystore(new SecretKeyRef("keystore-password", "password")).build();
            CertificateManager manager = CertificateManager.builder()
                    .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                            .trustedCertificates(pebble.tlsTrustAnchor()).build())
                    .solver(http01).store(store).listener(events::add).build();
            Certificate www = Certificate.builder("www").namespace("web").secretName("www-tls")
                    .dnsNames("www.example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
            int ordersBefore = pebble.orderCount();

            assertThatThrownBy(() -> manager.obtain(www)).isInstanceOf(PreflightException.class)
                    .hasMessageContaining("keystore password Secret web/keystore-password does not exist; create it")
                    .hasMessageContaining("nothing was ordered");

            assertThat(pebble.orderCount()).as("orders at Pebble").isEqualTo(ordersBefore);
            assertThat(events).extracting(CertificateEvent::type)
                    .doesNotContain(CertificateEvent.Type.GENERATED, CertificateEvent.Type.ORDER_CREATED);
            assertThat(store.loadFailures(www)).as("the failure, recorded in the store").hasValueSatisfying(
                    f -> assertThat(f.attempts()).isEqualTo(1));
            assertThat(api.inspector().secrets().inNamespace("web").withName("www-tls").get()).isNull();

            api.inspector().secrets().inNamespace("web").resource(new SecretBuilder().withNewMetadata()
                    .withName("keystore-password").withNamespace("web").endMetadata().withType("Opaque")
                    .withData(Map.of("password", Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))))
                    .build()).create();

            manager.obtain(www);
            assertThat(pebble.orderCount()).as("orders once the Secret exists").isEqualTo(ordersBefore + 1);
            assertThat(api.inspector().secrets().inNamespace("web").withName("www-tls").get().getData())
                    .containsKeys("tls.crt", "tls.key", "keystore.p12");
        }
    }
}
