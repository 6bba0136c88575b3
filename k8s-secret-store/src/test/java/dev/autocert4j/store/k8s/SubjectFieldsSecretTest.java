package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.CertificateSubject;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.SelfSignedIssuer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** URI and email SANs and subject attributes in the Secret annotations, and in adoption of cert-manager's Secrets. */
class SubjectFieldsSecretTest {
    static final Certificate WORKLOAD = Certificate.builder("workload").namespace("shop").secretName("workload-tls")
            .commonName("workload.shop.svc").dnsNames("workload.shop.svc")
            .subject(CertificateSubject.builder().organizations("cert-manager").countries("GB").build())
            .uris("spiffe://cluster.local/ns/shop/sa/workload").emailAddresses("ops@example.com")
            .privateKey(PrivateKeySpec.ecdsa(256)).usages(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.SERVER_AUTH)
            .issuerRef(IssuerRef.issuer("ca-issuer")).build();

    private static OpensslCa.Leaf leaf;
    @RegisterExtension
    final SecretStoreOnMockApi k8s = new SecretStoreOnMockApi();

    @BeforeAll
    static void issueWithOpenssl(@TempDir Path dir) throws Exception {
        leaf = new OpensslCa(dir).issue("ec:P-256", "/C=GB/O=cert-manager/CN=workload.shop.svc",
                "DNS:workload.shop.svc,email:ops@example.com,URI:spiffe://cluster.local/ns/shop/sa/workload", "serverAuth");
    }

    @Test
    void aCertManagerSecretWithUriAndEmailSansIsAdoptedForTheCertificateThatAsksForThem() throws Exception {
        CertManagerSecretFixtures.create(k8s.api().client(), "ca-issuer-uri-email-subject.yaml",
                Map.of("tls.crt", leaf.chainPem(), "tls.key", leaf.keyPem(), "ca.crt", leaf.rootPem()));

        assertThat(k8s.store().load(WORKLOAD)).isPresent();
        assertThat(k8s.store().load(WORKLOAD.toBuilder().uris("spiffe://cluster.local/ns/shop/sa/other").build())).isEmpty();
        assertThat(k8s.store().load(WORKLOAD.toBuilder().emailAddresses().build())).isEmpty();
    }

    @Test
    void ourOwnSecretCarriesTheSubjectAndSanAnnotationsCertManagerWould() throws Exception {
        Certificate selfSigned = WORKLOAD.toBuilder().issuerRef(IssuerRef.clusterIssuer("selfsigned")).build();
        CertificateManager manager = CertificateManager.builder().issuer(SelfSignedIssuer.builder("selfsigned").build())
                .store(k8s.store()).build();

        manager.obtain(selfSigned);

        Map<String, String> annotations = k8s.secret("shop", "workload-tls")
                .getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("cert-manager.io/uri-sans", "spiffe://cluster.local/ns/shop/sa/workload")
                .containsEntry("cert-manager.io/email-sans", "ops@example.com")
                .containsEntry("cert-manager.io/subject-organizations", "cert-manager")
                .containsEntry("cert-manager.io/subject-countries", "GB")
                .containsEntry("cert-manager.io/common-name", "workload.shop.svc");
    }
}
