package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Secret we write is the one cert-manager would write
 * ({@code pkg/controller/certificates/issuing/internal/secret.go}, {@code internal/controller/certificates/secrets.go}).
 */
class CertManagerSecretLayoutTest {
    private static final Certificate WEB = Certificate.builder("web").namespace("shop").secretName("web-tls")
            .dnsNames("app.example.com", "api.example.com").ipAddresses("2001:db8:0:0:0:0:0:10")
            .labels(Map.of("team", "payments")).issuerRef(IssuerRef.clusterIssuer("letsencrypt-prod"))
            .fallbackIssuerRefs(IssuerRef.issuer("zerossl")).build();
    private static OpensslCa.Leaf acmeLeaf;
    @RegisterExtension
    final SecretStoreOnMockApi k8s = new SecretStoreOnMockApi();

    @BeforeAll
    static void issueWithOpenssl(@TempDir Path dir) throws Exception {
        // As an ACME CA issues for WEB: SANs sorted, the first promoted to the common name, here with an organization.
        acmeLeaf = new OpensslCa(dir).issue("ec:P-256", "/O=Shop, Inc./CN=api.example.com",
                "DNS:api.example.com,DNS:app.example.com,IP:2001:db8::10", "serverAuth");
    }

    private StoredCertificate acmeIssued(String issuerName) throws Exception {
        return new StoredCertificate(Pem.decodeChain(acmeLeaf.chainPem()), Pem.decodeKeyPair(acmeLeaf.keyPem()),
                new CertificateMetadata(WEB.specFingerprint(), issuerName, 1, Instant.now()));
    }

    private Secret secret(String namespace, String name) {
        return k8s.secret(namespace, name);
    }

    private static Map<String, String> certManagerAnnotations(Secret secret) {
        return secret.getMetadata().getAnnotations().entrySet().stream().filter(e -> e.getKey().startsWith("cert-manager.io/"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private static String data(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
    }

    @Test
    void theAnnotationsDescribeTheIssuedCertificateNotTheSpec() throws Exception {
        k8s.store().save(WEB, acmeIssued("letsencrypt-prod"));

        assertThat(certManagerAnnotations(secret("shop", "web-tls"))).isEqualTo(new TreeMap<>(Map.of(
                "cert-manager.io/certificate-name", "web",
                "cert-manager.io/issuer-name", "letsencrypt-prod",
                "cert-manager.io/issuer-kind", "ClusterIssuer",
                "cert-manager.io/issuer-group", "cert-manager.io",
                "cert-manager.io/common-name", "api.example.com",
                "cert-manager.io/subject-organizations", "\"Shop, Inc.\"",
                "cert-manager.io/alt-names", "api.example.com,app.example.com",
                "cert-manager.io/ip-sans", "2001:db8::10",
                "cert-manager.io/uri-sans", "")));
    }

    /**
     * cert-manager v1.20+ copies the Certificate's issuerRef kind and group verbatim into the Secret
     * (pkg/controller/certificates/issuing/issuing_controller.go: IssuerKind: req.Spec.IssuerRef.Kind, the request's
     * ref copied from the Certificate by requestmanager_controller.go; the API defaults of v1.19 were reverted): a
     * kind-less or group-less ref gives "".
     */
    @Test
    void theIssuerKindAndGroupAreWrittenAsTheIssuerRefSpellsThemEmptyWhenLeftOut() throws Exception {
        Certificate kindless = WEB.toBuilder().issuerRef(IssuerRef.asWritten("letsencrypt-prod", "", "")).build();
        k8s.store().save(kindless, acmeIssued("letsencrypt-prod"));

        assertThat(certManagerAnnotations(secret("shop", "web-tls"))).containsEntry("cert-manager.io/issuer-kind", "")
                .containsEntry("cert-manager.io/issuer-group", "").containsEntry("cert-manager.io/issuer-name", "letsencrypt-prod");

        Certificate groupless = WEB.toBuilder().issuerRef(IssuerRef.asWritten("letsencrypt-prod", "ClusterIssuer", "")).build();
        k8s.store().save(groupless, acmeIssued("letsencrypt-prod"));

        assertThat(certManagerAnnotations(secret("shop", "web-tls"))).containsEntry("cert-manager.io/issuer-kind", "ClusterIssuer")
                .containsEntry("cert-manager.io/issuer-group", "");
    }

    @Test
    void theIssuerAnnotationsNameTheFallbackIssuerThatIssued() throws Exception {
        k8s.store().save(WEB, acmeIssued("zerossl"));

        assertThat(certManagerAnnotations(secret("shop", "web-tls"))).containsEntry("cert-manager.io/issuer-name", "zerossl")
                .containsEntry("cert-manager.io/issuer-kind", "Issuer");
    }

    @Test
    void theSecretIsLabelledAsCertManagersWithoutTheCertificatesLabels() throws Exception {
        k8s.store().save(WEB, acmeIssued("letsencrypt-prod"));

        assertThat(secret("shop", "web-tls").getMetadata().getLabels()).isEqualTo(Map.of("controller.cert-manager.io/fao", "true"));
    }

    @Test
    void otherPeoplesAnnotationsAndLabelsStayAndOnlyOurKeysAreRewritten() throws Exception {
        k8s.store().save(WEB, acmeIssued("letsencrypt-prod"));
        k8s.api().inspector().secrets().inNamespace("shop").withName("web-tls").edit(s -> {
            s.getMetadata().getAnnotations().put("cert-manager.io/allow-direct-injection", "true");
            s.getMetadata().getAnnotations().put("reflector.v1.k8s.emberstack.com/reflection-allowed", "true");
            s.getMetadata().getLabels().put("app", "shop");
            return s;
        });
        StoredCertificate renewed = new StoredCertificate(acmeIssued("letsencrypt-prod").chain(),
                acmeIssued("letsencrypt-prod").keyPair(), new CertificateMetadata(WEB.specFingerprint(), "letsencrypt-prod", 2,
                        Instant.now()));

        k8s.store().save(WEB, renewed);

        Secret secret = secret("shop", "web-tls");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("cert-manager.io/allow-direct-injection", "true")
                .containsEntry("reflector.v1.k8s.emberstack.com/reflection-allowed", "true")
                .containsEntry("autocert4j.dev/revision", "2");
        assertThat(secret.getMetadata().getLabels()).containsEntry("app", "shop").containsEntry("controller.cert-manager.io/fao", "true");
    }

    @Test
    void aDetailAnnotationTheNewCertificateNoLongerHasGoesAway() throws Exception {
        k8s.store().save(WEB, acmeIssued("letsencrypt-prod"));
        k8s.api().inspector().secrets().inNamespace("shop").withName("web-tls").edit(s -> {
            s.getMetadata().getAnnotations().put("cert-manager.io/email-sans", "ops@example.com");
            return s;
        });

        k8s.store().save(WEB, acmeIssued("letsencrypt-prod"));

        assertThat(secret("shop", "web-tls").getMetadata().getAnnotations()).doesNotContainKey("cert-manager.io/email-sans");
    }

    @Test
    void anAcmeChainGoesIntoTlsCrtAsIssuedWithoutCaCrt() throws Exception {
        k8s.store().save(WEB, acmeIssued("letsencrypt-prod"));

        Secret secret = secret("shop", "web-tls");
        assertThat(secret.getData()).doesNotContainKey("ca.crt");
        assertThat(Pem.decodeChain(data(secret, "tls.crt"))).isEqualTo(Pem.decodeChain(acmeLeaf.chainPem()));
    }

    @Test
    void aSelfSignedCertificateIsItsOwnCaAndTheCaIssuersRootIsInCaCrtOnly() throws Exception {
        Certificate root = Certificate.builder("root-ca").namespace("shop").commonName("shop-root").dnsNames("shop-root")
                .isCA(true).privateKey(PrivateKeySpec.ecdsa(256)).issuerRef(IssuerRef.issuer("selfsigned")).build();
        Certificate leaf = Certificate.builder("api").namespace("shop").dnsNames("api.shop.svc")
                .issuerRef(IssuerRef.issuer("shop-ca")).build();
        CertificateManager manager = CertificateManager.builder().store(k8s.store())
                .issuer(SelfSignedIssuer.builder("selfsigned").namespace("shop").build())
                .issuer(CaIssuer.builder("shop-ca").namespace("shop").secret(root).build()).build();

        StoredCertificate rootIssued = manager.obtain(root);
        StoredCertificate leafIssued = manager.obtain(leaf);

        Secret rootSecret = secret("shop", "root-ca");
        assertThat(data(rootSecret, "ca.crt")).isEqualTo(data(rootSecret, "tls.crt"));
        Secret leafSecret = secret("shop", "api");
        X509Certificate rootCertificate = rootIssued.leaf();
        assertThat(Pem.decodeChain(data(leafSecret, "tls.crt"))).containsExactly(leafIssued.leaf());
        assertThat(Pem.decodeChain(data(leafSecret, "ca.crt"))).containsExactly(rootCertificate);
        // Read back, the chain is the one issued.
        assertThat(k8s.store().load(leaf).orElseThrow().chain()).isEqualTo(List.of(leafIssued.leaf(), rootCertificate));
    }
}
