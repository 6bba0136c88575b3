package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.SecretTemplate;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.TestCertificates;
import dev.autocert4j.testing.kubernetes.ApiRequest;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A look at a stored, usable certificate (obtain, or a background check) reads its Secret once: the sync of the
 * parts derived from the spec writes from the read the load made, still guarded by that read's resourceVersion.
 */
class SecretReadsPerLookTest {
    private static final Certificate WEB = Certificate.builder("web").namespace("shop").dnsNames("web.example.com")
            .issuerRef(IssuerRef.clusterIssuer("self")).build();

    @RegisterExtension
    final SecretStoreOnMockApi k8s = new SecretStoreOnMockApi();

    private CertificateManager manager() {
        return CertificateManager.builder().issuer(SelfSignedIssuer.builder("self").build()).store(k8s.store()).build();
    }

    /** The requests of the certificate's namespace (the journal and Leases live in another) since {@code from}. */
    private List<ApiRequest> secretRequestsInShopSince(int from) {
        List<ApiRequest> all = k8s.api().requests();
        return all.subList(from, all.size()).stream()
                .filter(r -> r.resource().equals("secrets") && r.namespace().equals("shop")).toList();
    }

    private static long count(List<ApiRequest> requests, String verb) {
        return requests.stream().filter(r -> r.verb().equals(verb)).count();
    }

    private void assertOneReadAndOneWriteSince(int from) {
        List<ApiRequest> requests = secretRequestsInShopSince(from);
        assertThat(count(requests, "get")).as("GETs of the Secret").isEqualTo(1);
        assertThat(count(requests, "update")).as("updates of the Secret").isEqualTo(1);
    }

    @Test
    void obtainOfAStoredCurrentCertificateReadsItsSecretOnceAndWritesNothing() throws Exception {
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        try (CertificateManager manager = manager()) {
            manager.obtain(WEB); // the first obtain also cleans up leftovers once
            int from = k8s.api().requestCount();

            manager.obtain(WEB);

            List<ApiRequest> requests = secretRequestsInShopSince(from);
            assertThat(count(requests, "get")).as("GETs of the Secret").isEqualTo(1);
            assertThat(requests).as("nothing written when current").hasSize(1);
        }
    }

    @Test
    void obtainWithAChangedTemplateReadsTheSecretOnceAndWritesItOnce() throws Exception {
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        Certificate templated = WEB.toBuilder().secretTemplate(new SecretTemplate(Map.of("team", "web"), Map.of())).build();
        try (CertificateManager manager = manager()) {
            manager.obtain(WEB);
            int from = k8s.api().requestCount();

            manager.obtain(templated);

            assertOneReadAndOneWriteSince(from);
            assertThat(k8s.secret("shop", "web").getMetadata().getAnnotations()).containsEntry("team", "web");
        }
    }

    @Test
    void aBackgroundCheckOfAStoredCurrentCertificateReadsItsSecretOnce() throws Exception {
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        Certificate templated = WEB.toBuilder().secretTemplate(new SecretTemplate(Map.of(), Map.of("tier", "front"))).build();
        try (CertificateManager manager = manager()) {
            manager.obtain(WEB);
            manager.manage(templated);
            int from = k8s.api().requestCount();

            assertThat(manager.runDue()).isEqualTo(1);

            assertOneReadAndOneWriteSince(from);
            assertThat(k8s.secret("shop", "web").getMetadata().getLabels()).containsEntry("tier", "front");
        }
    }

    @Test
    void aSecretChangedSinceTheLoadIsReadAgainAndTheChangeKept() throws Exception {
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        StoredCertificate loaded = k8s.store().load(WEB).orElseThrow();
        Secret changed = new SecretBuilder(k8s.secret("shop", "web")).editMetadata().addToLabels("other-tool", "kept")
                .endMetadata().build();
        k8s.api().inspector().secrets().inNamespace("shop").resource(changed).update();
        Certificate templated = WEB.toBuilder().secretTemplate(new SecretTemplate(Map.of("team", "web"), Map.of())).build();

        assertThat(k8s.store().syncDerivedOutputs(templated, loaded)).isTrue();

        Secret after = k8s.secret("shop", "web");
        assertThat(after.getMetadata().getLabels()).containsEntry("other-tool", "kept");
        assertThat(after.getMetadata().getAnnotations()).containsEntry("team", "web");
    }

    @Test
    void aSyncWithoutTheLoadBehindItReadsTheSecret() throws Exception {
        k8s.store().save(WEB, TestCertificates.issue(WEB, 1));
        StoredCertificate loadedElsewhere = TestCertificates.issue(WEB, 1);
        Certificate templated = WEB.toBuilder().secretTemplate(new SecretTemplate(Map.of("team", "web"), Map.of())).build();
        int from = k8s.api().requestCount();

        assertThat(k8s.store().syncDerivedOutputs(templated, loadedElsewhere)).isTrue();

        assertThat(count(secretRequestsInShopSince(from), "get")).isEqualTo(1);
        assertThat(k8s.secret("shop", "web").getMetadata().getAnnotations()).containsEntry("team", "web");
    }
}
