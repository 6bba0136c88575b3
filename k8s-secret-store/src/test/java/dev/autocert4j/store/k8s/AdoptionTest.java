package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.TestCertificates;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdoptionTest {
    @Test
    void obtainUsesAValidCertManagerSecretWithoutOrdering() throws Exception {
        Certificate seed = Certificate.builder("dashboard-imroc-io").namespace("default")
                .secretName("dashboard-imroc-io-tls").dnsNames("dashboard.imroc.io")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt-dns01")).build();
        AtomicInteger orders = new AtomicInteger();
        Issuer issuer = new Issuer() {
            @Override
            public String name() {
                return "letsencrypt-dns01";
            }

            @Override
            public IssuerScope scope() {
                return IssuerScope.cluster();
            }

            @Override
            public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) {
                orders.incrementAndGet();
                throw new IllegalStateException("no order expected");
            }
        };
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            KubernetesSecretStore store = KubernetesSecretStore.of(api.client());
            StoredCertificate issued = TestCertificates.issue(seed, 1);
            store.save(seed, issued);
            api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").edit(s -> {
                s.getMetadata().getAnnotations().keySet().removeIf(k -> k.startsWith("autocert4j.dev/"));
                return s;
            });
            CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).build();

            StoredCertificate obtained = manager.obtain(seed);

            assertThat(orders).hasValue(0);
            assertThat(obtained.chain()).isEqualTo(issued.chain());
        }
    }
}
