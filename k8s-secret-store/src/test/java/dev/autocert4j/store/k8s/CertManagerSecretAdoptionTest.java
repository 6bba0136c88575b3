package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration from cert-manager: Secrets that cert-manager wrote (hand-written YAML, certificates from
 * an openssl CA) are adopted by the certificate they hold, not by their annotation strings.
 */
class CertManagerSecretAdoptionTest {
    /** Let's Encrypt style: SANs sorted, the first promoted to the common name, commonName unset in the spec. */
    private static final Certificate WEB = Certificate.builder("web").namespace("shop").secretName("web-tls")
            .dnsNames("app.example.com", "api.example.com").privateKey(PrivateKeySpec.ecdsa(256))
            .issuerRef(IssuerRef.clusterIssuer("letsencrypt-prod")).build();
    /** issuerRef without kind in cert-manager (an Issuer), an IPv6 SAN. */
    private static final Certificate INTERNAL = Certificate.builder("internal-api").namespace("shop")
            .secretName("internal-api-tls").commonName("internal.shop.svc").dnsNames("internal.shop.svc")
            .ipAddresses("2001:db8:0:0:0:0:0:10", "10.0.0.7").privateKey(PrivateKeySpec.rsa(2048))
            .usages(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_ENCIPHERMENT, KeyUsage.SERVER_AUTH)
            .issuerRef(IssuerRef.issuer("ca-issuer")).build();

    private static OpensslCa.Leaf webLeaf;
    private static OpensslCa.Leaf internalLeaf;
    private KubernetesMockApi api;
    private KubernetesSecretStore store;

    @BeforeAll
    static void issueWithOpenssl(@TempDir Path dir) throws Exception {
        OpensslCa ca = new OpensslCa(dir);
        webLeaf = ca.issue("ec:P-256", "/CN=api.example.com", "DNS:api.example.com,DNS:app.example.com",
                "serverAuth,clientAuth");
        internalLeaf = ca.issue("rsa:2048", "/CN=internal.shop.svc", "DNS:internal.shop.svc,IP:2001:db8::10,IP:10.0.0.7",
                "serverAuth");
    }

    @BeforeEach
    void start() throws Exception {
        api = new KubernetesMockApi();
        store = KubernetesSecretStore.of(api.client());
        CertManagerSecretFixtures.create(api.client(), "acme-cluster-issuer.yaml",
                Map.of("tls.crt", webLeaf.chainPem(), "tls.key", webLeaf.keyPem()));
        CertManagerSecretFixtures.create(api.client(), "ca-issuer-kind-omitted.yaml",
                Map.of("tls.crt", internalLeaf.chainPem(), "tls.key", internalLeaf.keyPem(), "ca.crt", internalLeaf.rootPem()));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aMigrationOfCertManagerSecretsOrdersNothing() throws Exception {
        CountingIssuer letsEncrypt = new CountingIssuer("letsencrypt-prod", IssuerScope.cluster());
        CountingIssuer caIssuer = new CountingIssuer("ca-issuer", IssuerScope.namespaced("shop"));
        CertificateManager manager = CertificateManager.builder().issuer(letsEncrypt).issuer(caIssuer).store(store).build();

        StoredCertificate web = manager.obtain(WEB);
        StoredCertificate internal = manager.obtain(INTERNAL);

        assertThat(letsEncrypt.orders).hasValue(0);
        assertThat(caIssuer.orders).hasValue(0);
        assertThat(web.leaf()).isEqualTo(Pem.decodeChain(webLeaf.chainPem()).get(0));
        assertThat(internal.leaf()).isEqualTo(Pem.decodeChain(internalLeaf.chainPem()).get(0));
    }

    @Test
    void theSansAreComparedAsASetWithTheCommonNameAmongThem() throws Exception {
        assertThat(store.load(WEB)).isPresent();
        assertThat(store.load(WEB.toBuilder().dnsNames("api.example.com", "app.example.com").build())).isPresent();
        assertThat(store.load(WEB.toBuilder().commonName("api.example.com").build())).isPresent();
        assertThat(store.load(WEB.toBuilder().dnsNames("app.example.com").build())).isEmpty();
        assertThat(store.load(WEB.toBuilder().dnsNames("app.example.com", "api.example.com", "www.example.com").build()))
                .isEmpty();
        assertThat(store.load(INTERNAL.toBuilder().ipAddresses("2001:db8::10").build())).isEmpty();
    }

    @Test
    void theKeyAlgorithmAndSizeMustBeTheSpecsOwn() throws Exception {
        assertThat(store.load(WEB.toBuilder().privateKey(PrivateKeySpec.ecdsa(384)).build())).isEmpty();
        assertThat(store.load(WEB.toBuilder().privateKey(PrivateKeySpec.rsa(2048)).build())).isEmpty();
        assertThat(store.load(INTERNAL.toBuilder().privateKey(PrivateKeySpec.rsa(3072)).build())).isEmpty();
    }

    @Test
    void anEmptyIssuerKindIsAnIssuerAndAnEmptyGroupIsCertManagers() throws Exception {
        assertThat(store.load(INTERNAL)).isPresent();
        assertThat(store.load(INTERNAL.toBuilder().issuerRef(IssuerRef.clusterIssuer("ca-issuer")).build())).isEmpty();
        assertThat(store.load(INTERNAL.toBuilder().issuerRef(IssuerRef.issuer("other-ca")).build())).isEmpty();
        assertThat(store.load(WEB.toBuilder().issuerRef(IssuerRef.issuer("letsencrypt-prod")).build())).isEmpty();
    }

    @Test
    void aRewriteKeepsTheEmptyIssuerKindAndGroupCertManagerWroteForTheSameIssuer() throws Exception {
        store.save(INTERNAL, store.load(INTERNAL).orElseThrow());

        assertThat(api.inspector().secrets().inNamespace("shop").withName("internal-api-tls").get().getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/issuer-name", "ca-issuer")
                .containsEntry("cert-manager.io/issuer-kind", "").containsEntry("cert-manager.io/issuer-group", "");
    }

    @Test
    void everyRequestedUsageMustBeAllowedByTheIssuedCertificate() throws Exception {
        // The web leaf allows server and client auth; the internal one server auth only.
        assertThat(store.load(WEB.toBuilder().usages(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.CLIENT_AUTH).build())).isPresent();
        assertThat(store.load(INTERNAL.toBuilder().usages(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.CLIENT_AUTH).build())).isEmpty();
        assertThat(store.load(INTERNAL.toBuilder().isCA(true).build())).isEmpty();
    }

    @Test
    void aSecretThatIsNotAdoptedIsLoggedWithTheReason() throws Exception {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8)); // where slf4j-simple writes
        try {
            assertThat(store.load(WEB.toBuilder().privateKey(PrivateKeySpec.ecdsa(384)).build())).isEmpty();
            assertThat(store.load(WEB.toBuilder().dnsNames("app.example.com").build())).isEmpty();
        } finally {
            System.setErr(stderr);
        }

        assertThat(log.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("cert-manager's Secret shop/web-tls is not adopted")))
                .as("one line per refusal, with the reason").satisfiesExactly(
                        line -> assertThat(line).contains("its key is not ECDSA 384", "issued anew"),
                        line -> assertThat(line).contains("it is for the names", "issued anew"));
    }

    /** An issuer that counts its orders and never signs: a migration must not reach it. */
    private static final class CountingIssuer implements Issuer {
        final AtomicInteger orders = new AtomicInteger();
        private final String name;
        private final IssuerScope scope;

        CountingIssuer(String name, IssuerScope scope) {
            this.name = name;
            this.scope = scope;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public IssuerScope scope() {
            return scope;
        }

        @Override
        public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) {
            orders.incrementAndGet();
            throw new IllegalStateException("a migrated certificate must not be ordered again");
        }
    }
}
