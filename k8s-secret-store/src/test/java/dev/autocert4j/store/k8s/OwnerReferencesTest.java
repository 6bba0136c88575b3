package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.OutputFormat;
import dev.autocert4j.SecretTemplate;
import dev.autocert4j.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Secret's {@code ownerReferences} (a user's, or cert-manager's controller reference from
 * {@code --enable-certificate-owner-ref} before the migration) are the cluster's garbage-collection links: autocert4j
 * keeps them byte for byte when it renews into the Secret or rewrites its derived parts, and adds none of its own.
 */
class OwnerReferencesTest {
    private static final Certificate WEB = Certificate.builder("web").namespace("shop").dnsNames("web.example.com")
            .issuerRef(IssuerRef.clusterIssuer("ca")).build();
    private static final List<OwnerReference> USERS = List.of(
            new OwnerReference("argoproj.io/v1alpha1", null, null, "Application", "shop", "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"),
            new OwnerReference("example.com/v1", true, false, "Bundle", "web-bundle", "11111111-2222-4333-8444-555555555555"));

    @RegisterExtension
    final SecretStoreOnMockApi k8s = new SecretStoreOnMockApi();

    @Test
    void ownerReferencesAUserSetSurviveARenewalAndASyncOfDerivedPartsByteForByte() throws Exception {
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        k8s.api().inspector().secrets().inNamespace("shop").withName("web")
                .edit(s -> new SecretBuilder(s).editMetadata().withOwnerReferences(USERS).endMetadata().build());
        String before = ownerReferencesJson("web");

        k8s.store().save(WEB, TestCertificates.issue(WEB, 2));
        assertThat(ownerReferencesJson("web")).as("after a renewal").isEqualTo(before);

        Certificate formats = WEB.toBuilder().additionalOutputFormats(OutputFormat.COMBINED_PEM)
                .secretTemplate(new SecretTemplate(Map.of("a", "1"), Map.of("team", "web"))).build();
        assertThat(k8s.store().syncDerivedOutputs(formats)).isTrue();
        assertThat(ownerReferencesJson("web")).as("after a sync of derived parts").isEqualTo(before);
        assertThat(k8s.store().load(formats).orElseThrow().metadata().revision()).isEqualTo(2);
    }

    @Test
    void certManagersControllerReferenceAndItsManagedFieldsSurviveTheAdoptionAndARenewal(@TempDir Path dir) throws Exception {
        CertManagerSecretFixtures.createWebTls(k8s.api().client(), dir, "acme-owner-reference.yaml");
        Certificate web = CertManagerSecretFixtures.WEB_TLS;
        String references = ownerReferencesJson("web-tls");
        String managedFields = json(k8s.secret("shop", "web-tls").getMetadata().getManagedFields());
        assertThat(k8s.store().load(web)).as("adopted").isPresent();

        k8s.store().save(web, TestCertificates.issue(web, 2));

        ObjectMeta after = k8s.secret("shop", "web-tls").getMetadata();
        assertThat(json(after.getOwnerReferences())).isEqualTo(references).contains("\"controller\":true");
        // sent back as read: a real API server keeps cert-manager's entry as the base of its bookkeeping
        assertThat(json(after.getManagedFields())).isEqualTo(managedFields);
    }

    @Test
    void aSecretAutocert4jCreatesAndRenewsCarriesNoOwnerReferenceOfItsOwn() throws Exception {
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        k8s.store().save(WEB, TestCertificates.issue(WEB, 2));

        // README "Switching back": there is no Certificate object in the API server to point to
        assertThat(k8s.secret("shop", "web").getMetadata().getOwnerReferences()).isNullOrEmpty();
    }

    private String ownerReferencesJson(String name) {
        List<OwnerReference> references = k8s.secret("shop", name).getMetadata().getOwnerReferences();
        assertThat(references).isNotEmpty();
        return json(references);
    }

    private String json(Object value) {
        return k8s.api().inspector().getKubernetesSerialization().asJson(value);
    }
}
