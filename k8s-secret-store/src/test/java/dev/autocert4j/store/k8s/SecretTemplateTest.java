package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.SecretTemplate;
import dev.autocert4j.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** cert-manager's secretTemplate (pkg/controller/certificates/issuing/internal/secret.go, setValues). */
class SecretTemplateTest {
    @RegisterExtension
    final SecretStoreOnMockApi k8s = new SecretStoreOnMockApi();

    private static Certificate web(SecretTemplate template) {
        return Certificate.builder("web").namespace("shop").dnsNames("web.example.com").labels(Map.of("tier", "front"))
                .secretTemplate(template).issuerRef(IssuerRef.clusterIssuer("ca")).build();
    }

    private Secret secret() {
        return k8s.secret("shop", "web");
    }

    @Test
    void theTemplatesAnnotationsAndLabelsAreOnTheSecretButNotTheCertificatesOwnLabels() throws Exception {
        Certificate web = web(new SecretTemplate(Map.of("reflector.v1.k8s.emberstack.com/reflection-allowed", "true",
                "cert-manager.io/allow-direct-injection", "true"), Map.of("team", "web")));

        k8s.store().save(web, TestCertificates.issue(web, 1));

        Secret secret = secret();
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("reflector.v1.k8s.emberstack.com/reflection-allowed", "true")
                .containsEntry("cert-manager.io/allow-direct-injection", "true")
                .containsEntry("cert-manager.io/certificate-name", "web");
        assertThat(secret.getMetadata().getLabels()).containsEntry("team", "web")
                .containsEntry("controller.cert-manager.io/fao", "true").doesNotContainKey("tier");
    }

    @Test
    void certManagersOwnLabelWinsOverTheTemplate() throws Exception {
        Certificate web = web(new SecretTemplate(Map.of(), Map.of("controller.cert-manager.io/fao", "false")));

        k8s.store().save(web, TestCertificates.issue(web, 1));

        assertThat(secret().getMetadata().getLabels()).containsEntry("controller.cert-manager.io/fao", "true");
    }

    @Test
    void keysTheTemplateNoLongerNamesGoOnTheNextWriteWhileKeysOthersSetStay() throws Exception {
        Certificate first = web(new SecretTemplate(Map.of("keep", "1", "drop", "2"), Map.of("team", "web", "old", "x")));
        k8s.store().save(first, TestCertificates.issue(first, 1));
        Secret written = secret();
        k8s.api().client().secrets().inNamespace("shop").resource(new SecretBuilder(written).editMetadata()
                .addToAnnotations("someone-else", "a").addToLabels("theirs", "b").endMetadata().build()).update();

        Certificate second = web(new SecretTemplate(Map.of("keep", "10"), Map.of("team", "platform")));
        k8s.store().save(second, TestCertificates.issue(second, 2));

        Secret secret = secret();
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("keep", "10").doesNotContainKey("drop")
                .containsEntry("someone-else", "a");
        assertThat(secret.getMetadata().getLabels()).containsEntry("team", "platform").doesNotContainKey("old")
                .containsEntry("theirs", "b").containsEntry("controller.cert-manager.io/fao", "true");
    }

    @Test
    void anEmptiedTemplateRemovesEverythingItHadApplied() throws Exception {
        Certificate first = web(new SecretTemplate(Map.of("a", "1"), Map.of("b", "2")));
        k8s.store().save(first, TestCertificates.issue(first, 1));

        Certificate second = web(SecretTemplate.empty());
        k8s.store().save(second, TestCertificates.issue(second, 2));

        assertThat(secret().getMetadata().getAnnotations()).doesNotContainKey("a");
        assertThat(secret().getMetadata().getLabels()).doesNotContainKey("b");
    }
}
