package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.OutputFormat;
import dev.autocert4j.SecretTemplate;
import dev.autocert4j.store.CertificateKeystores;
import dev.autocert4j.store.JksKeystore;
import dev.autocert4j.store.KeystorePassword;
import dev.autocert4j.store.Pkcs12Keystore;
import dev.autocert4j.store.Pkcs12Profile;
import dev.autocert4j.testing.TestCertificates;
import dev.autocert4j.testing.support.KnownSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * cert-manager's post-issuance policies (internal/controller/certificates/policies/policies.go
 * NewSecretPostIssuancePolicyChain): a change of secretTemplate, additionalOutputFormats or keystores alone rewrites
 * the Secret's derived parts in one write, with tls.crt and tls.key as they were.
 */
class SecretSyncWithoutIssuanceTest {
    private static final Certificate WEB = Certificate.builder("web").namespace("shop").dnsNames("web.example.com")
            .issuerRef(IssuerRef.clusterIssuer("ca")).build();

    private final String password = KnownSecrets.register("pw-" + UUID.randomUUID());
    private final String otherPassword = KnownSecrets.register("pw2-" + UUID.randomUUID());
    @RegisterExtension
    final SecretStoreOnMockApi k8s = new SecretStoreOnMockApi();

    private Secret secret(String name) {
        return k8s.secret("shop", name);
    }

    private void passwordSecret(String value) {
        k8s.api().inspector().secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("ks-password")
                .withNamespace("shop").endMetadata().withType("Opaque")
                .withData(Map.of("password", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
                .build()).createOr(existing -> existing.update());
    }

    @Test
    void aChangedTemplateIsAppliedInOneWriteWithTheCertificateAndKeyUntouched() throws Exception {
        Certificate first = WEB.toBuilder().secretTemplate(new SecretTemplate(Map.of("keep", "1", "drop", "2"),
                Map.of("team", "web"))).build();
        k8s.store().save(first, TestCertificates.issue(first, 1));
        Secret before = secret("web");
        Certificate second = WEB.toBuilder().secretTemplate(new SecretTemplate(Map.of("keep", "10", "new", "3"),
                Map.of("team", "platform"))).build();

        boolean wrote = k8s.store().syncDerivedOutputs(second);

        Secret after = secret("web");
        assertThat(wrote).isTrue();
        assertThat(after.getMetadata().getAnnotations()).containsEntry("keep", "10").containsEntry("new", "3")
                .doesNotContainKey("drop");
        assertThat(after.getMetadata().getLabels()).containsEntry("team", "platform");
        assertThat(after.getData()).isEqualTo(before.getData());
        assertThat(k8s.store().load(second).orElseThrow().metadata()).isEqualTo(k8s.store().load(first).orElseThrow().metadata());
        assertThat(Long.parseLong(after.getMetadata().getResourceVersion()))
                .isEqualTo(Long.parseLong(before.getMetadata().getResourceVersion()) + 1);
    }

    @Test
    void aSecretThatIsCurrentIsNotWritten() throws Exception {
        Certificate web = WEB.toBuilder().secretTemplate(new SecretTemplate(Map.of("a", "1"), Map.of("b", "2")))
                .additionalOutputFormats(OutputFormat.DER)
                .keystores(CertificateKeystores.NONE.withJks(JksKeystore.create(KeystorePassword.literal(password.toCharArray()))))
                .build();
        k8s.store().save(web, TestCertificates.issue(web, 1));
        String version = secret("web").getMetadata().getResourceVersion();

        assertThat(k8s.store().syncDerivedOutputs(web)).isFalse();
        assertThat(secret("web").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void outputFormatsAreAddedAndRemovedFromTheKeyAndChainAlreadyStored() throws Exception {
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        Certificate both = WEB.toBuilder().additionalOutputFormats(OutputFormat.COMBINED_PEM, OutputFormat.DER).build();

        k8s.store().syncDerivedOutputs(both);

        Map<String, String> data = secret("web").getData();
        assertThat(decode(data.get("tls-combined.pem"))).isEqualTo(decode(data.get("tls.key")) + "\n" + decode(data.get("tls.crt")));
        assertThat(data).containsKey("key.der");

        k8s.store().syncDerivedOutputs(WEB);

        assertThat(secret("web").getData()).doesNotContainKeys("tls-combined.pem", "key.der").containsKeys("tls.crt", "tls.key");
    }

    @Test
    void keystoresAreAddedRemadeWithANewPasswordAndRemoved(@TempDir Path dir) throws Exception {
        passwordSecret(password);
        Certificate withPkcs12 = WEB.toBuilder().keystores(CertificateKeystores.NONE.withPkcs12(
                Pkcs12Keystore.create(KeystorePassword.fromSecret("ks-password", "password")).withProfile(Pkcs12Profile.MODERN_2023)))
                .build();
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        String key = secret("web").getData().get("tls.key");

        assertThat(k8s.store().syncDerivedOutputs(withPkcs12)).isTrue();
        assertThat(opens("PKCS12", secret("web").getData().get("keystore.p12"), password)).isTrue();

        passwordSecret(otherPassword);
        assertThat(k8s.store().syncDerivedOutputs(withPkcs12)).as("re-made for the new password").isTrue();
        assertThat(opens("PKCS12", secret("web").getData().get("keystore.p12"), otherPassword)).isTrue();
        assertThat(k8s.store().syncDerivedOutputs(withPkcs12)).as("current now").isFalse();

        Certificate withJks = WEB.toBuilder().keystores(CertificateKeystores.NONE.withJks(
                JksKeystore.create(KeystorePassword.literal(password.toCharArray())).withAlias("shop"))).build();
        k8s.store().syncDerivedOutputs(withJks);

        Map<String, String> data = secret("web").getData();
        assertThat(data).doesNotContainKey("keystore.p12").containsKey("keystore.jks").containsEntry("tls.key", key);
        assertThat(keystore("JKS", data.get("keystore.jks"), password).containsAlias("shop")).isTrue();
    }

    @Test
    void aChangedAliasOrProfileRemakesTheKeystore() throws Exception {
        Certificate certificate = WEB.toBuilder().keystores(CertificateKeystores.NONE.withJks(
                JksKeystore.create(KeystorePassword.literal(password.toCharArray())).withAlias("one"))).build();
        k8s.store().save(certificate, TestCertificates.issue(certificate, 1));
        Certificate renamed = WEB.toBuilder().keystores(CertificateKeystores.NONE.withJks(
                JksKeystore.create(KeystorePassword.literal(password.toCharArray())).withAlias("two"))).build();

        assertThat(k8s.store().syncDerivedOutputs(renamed)).isTrue();

        KeyStore jks = keystore("JKS", secret("web").getData().get("keystore.jks"), password);
        assertThat(jks.containsAlias("two")).isTrue();
        assertThat(jks.containsAlias("one")).isFalse();
    }

    @Test
    void templateKeysCertManagerAppliedAreRemovedWhenTheTemplateDropsThemAndOtherToolsKeysStay(@TempDir Path dir)
            throws Exception {
        CertManagerSecretFixtures.createWebTls(k8s.api().client(), dir, "acme-template-managed-fields.yaml");
        Certificate web = CertManagerSecretFixtures.WEB_TLS.toBuilder()
                .secretTemplate(new SecretTemplate(Map.of(), Map.of("tier", "front"))).build();
        Map<String, String> data = secret("web-tls").getData();
        assertThat(k8s.store().load(web)).as("adopted").isPresent();

        assertThat(k8s.store().syncDerivedOutputs(web)).isTrue();

        Secret after = secret("web-tls");
        assertThat(after.getMetadata().getAnnotations()).doesNotContainKey("reflector.v1.k8s.emberstack.com/reflection-allowed")
                .containsEntry("argocd.argoproj.io/instance", "shop").containsEntry("cert-manager.io/certificate-name", "web");
        assertThat(after.getMetadata().getLabels()).doesNotContainKey("team").containsEntry("tier", "front")
                .containsEntry("controller.cert-manager.io/fao", "true");
        assertThat(after.getData()).isEqualTo(data);
        assertThat(k8s.store().load(web)).as("still adopted, as cert-manager's").isPresent();
    }

    @Test
    void aRenewalSavedBetweenTheReadAndTheWriteIsNotUndone() throws Exception {
        Certificate formats = WEB.toBuilder().additionalOutputFormats(OutputFormat.COMBINED_PEM).build();
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        KubernetesSecretStore other = KubernetesSecretStore.of(k8s.api().newClient());
        boolean[] once = {true};
        k8s.store().betweenReadAndWrite = () -> {
            if (once[0]) {
                once[0] = false;
                try {
                    other.save(WEB, TestCertificates.issue(WEB, 2));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        k8s.store().syncDerivedOutputs(formats);

        Map<String, String> data = secret("web").getData();
        assertThat(k8s.store().load(WEB).orElseThrow().metadata().revision()).isEqualTo(2);
        assertThat(decode(data.get("tls-combined.pem"))).isEqualTo(decode(data.get("tls.key")) + "\n" + decode(data.get("tls.crt")));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static boolean opens(String type, String base64, String password) {
        try {
            keystore(type, base64, password);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static KeyStore keystore(String type, String base64, String password) throws Exception {
        KeyStore keystore = KeyStore.getInstance(type);
        keystore.load(new ByteArrayInputStream(Base64.getDecoder().decode(base64)), password.toCharArray());
        return keystore;
    }
}
