package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.IssuedCertificate;
import dev.autocert4j.store.CertificateKeystores;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.JksKeystore;
import dev.autocert4j.store.KeystorePassword;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ca.crt} when a CA issuer's CA is an intermediate and no root is known: cert-manager's CA issuer names the
 * top of the chain as the CA ({@code pkg/util/pki/parse_certificate_chain.go toBundleAndCA}) and keeps it in
 * {@code tls.crt}; the store writes the CA its issuer named, keeps it through re-writes and the derived-parts sync,
 * and builds truststores from it. The chains are made with openssl.
 */
class IntermediateCaCrtTest {
    private static final Certificate API = Certificate.builder("api").namespace("shop").secretName("api-tls")
            .commonName("api.example.com").dnsNames("api.example.com").issuerRef(IssuerRef.issuer("intermediate")).build();
    private static List<X509Certificate> chain;
    private static X509Certificate intermediate;
    private static OpensslCa.Leaf leaf;
    @RegisterExtension
    final SecretStoreOnMockApi k8s = new SecretStoreOnMockApi();

    @BeforeAll
    static void issueWithOpenssl(@TempDir Path dir) throws Exception {
        leaf = new OpensslCa(dir).issue("ec:P-256", "/CN=api.example.com", "DNS:api.example.com", "serverAuth");
        chain = Pem.decodeChain(leaf.chainPem());
        intermediate = chain.get(1);
    }

    private static StoredCertificate issued(Optional<X509Certificate> ca) throws Exception {
        return new StoredCertificate(chain, Pem.decodeKeyPair(leaf.keyPem()),
                new CertificateMetadata(API.specFingerprint(), "intermediate", 1, Instant.now()), ca);
    }

    private static List<X509Certificate> certificates(Secret secret, String key) throws Exception {
        assertThat(secret.getData()).as("data of Secret %s", secret.getMetadata().getName()).containsKey(key);
        return Pem.decodeChain(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII));
    }

    @Test
    void theIntermediateTheIssuerNamesAsCaIsWrittenToCaCrtAndStaysInTlsCrt() throws Exception {
        k8s.store().save(API, issued(Optional.of(intermediate)));

        Secret secret = k8s.secret("shop", "api-tls");
        assertThat(certificates(secret, "tls.crt")).isEqualTo(chain);
        assertThat(certificates(secret, "ca.crt")).containsExactly(intermediate);
        StoredCertificate loaded = k8s.store().load(API).orElseThrow();
        assertThat(loaded.chain()).isEqualTo(chain);
        assertThat(loaded.ca()).contains(intermediate);
    }

    @Test
    void theSameChainWithoutANamedCaGetsNoCaCrtAsAnAcmeChain() throws Exception {
        k8s.store().save(API, issued(Optional.empty()));

        assertThat(k8s.secret("shop", "api-tls").getData()).doesNotContainKey("ca.crt");
        assertThat(k8s.store().load(API).orElseThrow().ca()).isEmpty();
    }

    @Test
    void aRewriteOfTheLoadedCertificateKeepsItsCaCrt() throws Exception {
        k8s.store().save(API, issued(Optional.of(intermediate)));
        StoredCertificate loaded = k8s.store().load(API).orElseThrow();

        k8s.store().save(API, loaded.withMetadata(loaded.metadata().withRevokedAt(Instant.now())));

        assertThat(certificates(k8s.secret("shop", "api-tls"), "ca.crt")).containsExactly(intermediate);
    }

    @Test
    void anAdoptedCertManagerSecretKeepsItsIntermediateCaCrtWhenRewritten() throws Exception {
        // As cert-manager's CA issuer writes it for an intermediate-only CA Secret: tls.crt leaf + intermediate,
        // ca.crt the intermediate; the annotations as cert-manager sets them.
        String intermediatePem = Pem.encodeChain(List.of(intermediate));
        k8s.api().inspector().secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("api-tls")
                .withNamespace("shop").withAnnotations(Map.of("cert-manager.io/certificate-name", "api",
                        "cert-manager.io/issuer-name", "intermediate", "cert-manager.io/issuer-kind", "Issuer",
                        "cert-manager.io/issuer-group", "cert-manager.io", "cert-manager.io/common-name", "api.example.com",
                        "cert-manager.io/alt-names", "api.example.com"))
                .endMetadata().withType("kubernetes.io/tls").withData(Map.of("tls.crt", base64(leaf.chainPem()),
                        "tls.key", base64(leaf.keyPem()), "ca.crt", base64(intermediatePem))).build()).create();
        StoredCertificate adopted = k8s.store().load(API).orElseThrow();

        k8s.store().save(API, adopted.withMetadata(adopted.metadata().withRevokedAt(Instant.now())));

        Secret secret = k8s.secret("shop", "api-tls");
        assertThat(certificates(secret, "tls.crt")).isEqualTo(chain);
        assertThat(certificates(secret, "ca.crt")).containsExactly(intermediate);
    }

    @Test
    void theDerivedPartsSyncKeepsTheCaCrtAndPutsItIntoTheTruststore() throws Exception {
        k8s.store().save(API, issued(Optional.of(intermediate)));
        char[] password = "changeit-jks".toCharArray();
        Certificate withJks = API.toBuilder().keystores(CertificateKeystores.NONE.withJks(
                JksKeystore.create(KeystorePassword.literal(password.clone())))).build();

        assertThat(k8s.store().syncDerivedOutputs(withJks)).isTrue();

        Secret secret = k8s.secret("shop", "api-tls");
        assertThat(certificates(secret, "ca.crt")).containsExactly(intermediate);
        KeyStore truststore = KeyStore.getInstance("JKS");
        truststore.load(new ByteArrayInputStream(Base64.getDecoder().decode(secret.getData().get("truststore.jks"))), password);
        assertThat(Collections.list(truststore.aliases())).hasSize(1)
                .allSatisfy(alias -> assertThat(truststore.getCertificate(alias)).isEqualTo(intermediate));
    }

    @Test
    void aChainAnIssuerReturnsOutOfOrderWithDuplicatesIsWrittenAsCertManagersCaIssuerWritesIt() throws Exception {
        // parse_certificate_chain_test.go: "if 6 certificate chain but some are duplicates, duplicates should be
        // removed and return single ca with chain" - here intermediate, root, leaf, intermediate, naming the
        // intermediate as CA: tls.crt is the leaf and the intermediate, ca.crt the root.
        X509Certificate root = Pem.decodeChain(leaf.rootPem()).get(0);
        IssuedCertificate issued = IssuedCertificate.of(List.of(intermediate, root, chain.get(0), intermediate),
                intermediate);

        k8s.store().save(API, new StoredCertificate(issued.chain(), Pem.decodeKeyPair(leaf.keyPem()),
                new CertificateMetadata(API.specFingerprint(), "intermediate", 1, Instant.now()), issued.ca()));

        Secret secret = k8s.secret("shop", "api-tls");
        assertThat(certificates(secret, "tls.crt")).containsExactly(chain.get(0), intermediate);
        assertThat(certificates(secret, "ca.crt")).containsExactly(root);
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
