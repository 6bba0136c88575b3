package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.store.CertificateKeystores;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.JksKeystore;
import dev.autocert4j.store.KeystorePassword;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.Pkcs12Keystore;
import dev.autocert4j.store.StoredCertificate;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code ca.crt} holding several certificates, in a Secret cert-manager keeps for an ACME certificate
 * ({@code cert-manager-secrets/acme-ca-bundle.yaml}; cert-manager's {@code secret.go} applies {@code ca.crt} only
 * when its issuer names a CA, so a bundle someone else wrote stays). Certificates made with openssl.
 */
class CaCrtBundleTest {
    private static final Certificate WEB = CertManagerSecretFixtures.WEB_TLS;
    @RegisterExtension
    final SecretStoreOnMockApi k8s = new SecretStoreOnMockApi();
    @TempDir
    Path dir;
    private OpensslCa ca;
    private X509Certificate root;
    private X509Certificate otherRoot;
    /** The bundle as a user writes it: comments and blank lines between the blocks. */
    private String bundle;

    @BeforeEach
    void makeTheCaAndTheBundle() throws Exception {
        ca = new OpensslCa(dir);
        OpensslCa.Leaf leaf = ca.issue("ec:P-256", "/CN=api.example.com", "DNS:api.example.com,DNS:app.example.com",
                "serverAuth,clientAuth");
        String otherPem = ca.otherRoot("Other Root");
        root = Pem.decodeChain(leaf.rootPem()).get(0);
        otherRoot = Pem.decodeChain(otherPem).get(0);
        bundle = "# Fixture Root\n" + leaf.rootPem() + "\n\n# Other Root\n" + otherPem;
        CertManagerSecretFixtures.create(k8s.api().client(), "acme-ca-bundle.yaml",
                Map.of("tls.crt", leaf.chainPem(), "tls.key", leaf.keyPem(), "ca.crt", bundle));
    }

    private String caCrt() {
        return new String(Base64.getDecoder().decode(k8s.secret("shop", "web-tls").getData().get("ca.crt")),
                StandardCharsets.US_ASCII);
    }

    /** A renewal as an ACME CA returns it: a new leaf and the intermediate, no CA named. */
    private StoredCertificate renewed(Optional<X509Certificate> namedCa) throws Exception {
        OpensslCa.Leaf next = ca.issue("ec:P-256", "/CN=api.example.com", "DNS:api.example.com,DNS:app.example.com",
                "serverAuth,clientAuth");
        return new StoredCertificate(Pem.decodeChain(next.chainPem()), Pem.decodeKeyPair(next.keyPem()),
                new CertificateMetadata(WEB.specFingerprint(), "letsencrypt-prod", 2, Instant.now()), namedCa);
    }

    @Test
    void theBundleStaysByteForByteThroughARenewalWhoseIssuerNamesNoCa() throws Exception {
        assertThat(k8s.store().load(WEB)).as("adopted").isPresent();

        k8s.store().save(WEB, renewed(Optional.empty()));

        assertThat(caCrt()).isEqualTo(bundle);
    }

    @Test
    void theBundleStaysByteForByteWhenTheLoadedCertificateIsWrittenBack() throws Exception {
        StoredCertificate adopted = k8s.store().load(WEB).orElseThrow();

        k8s.store().save(WEB, adopted.withMetadata(adopted.metadata().withRevokedAt(Instant.now())));

        assertThat(caCrt()).isEqualTo(bundle);
        assertThat(k8s.store().load(WEB).orElseThrow().chain()).as("the root the bundle starts with ends the chain")
                .endsWith(root);
    }

    @Test
    void aRenewalWhoseIssuerNamesACaTheBundleHoldsKeepsTheBundle() throws Exception {
        k8s.store().save(WEB, renewed(Optional.of(root)));

        assertThat(caCrt()).isEqualTo(bundle);
    }

    @Test
    void aRenewalWhoseIssuerNamesAnotherCaWritesThatCaAsCertManagersApplyDoes() throws Exception {
        X509Certificate intermediate = Pem.decodeChain(ca.issue("ec:P-256", "/CN=x.example.com", "DNS:x.example.com",
                "serverAuth").chainPem()).get(1);

        k8s.store().save(WEB, renewed(Optional.of(intermediate)));

        assertThat(Pem.decodeChain(caCrt())).containsExactly(intermediate);
    }

    @Test
    void aCaCrtTheStoreWroteGoesAwayWhenTheNextIssuerNamesNone() throws Exception {
        X509Certificate intermediate = Pem.decodeChain(ca.issue("ec:P-256", "/CN=x.example.com", "DNS:x.example.com",
                "serverAuth").chainPem()).get(1);
        k8s.store().save(WEB, renewed(Optional.of(intermediate)));

        k8s.store().save(WEB, renewed(Optional.empty()));

        assertThat(k8s.secret("shop", "web-tls").getData()).doesNotContainKey("ca.crt");
    }

    @Test
    void theTruststoresHoldEveryCertificateOfTheBundleAsCertManagersKeystoreCodeWritesThem() throws Exception {
        char[] password = "changeit-bundle".toCharArray();
        Certificate withKeystores = WEB.toBuilder().keystores(CertificateKeystores.NONE
                .withJks(JksKeystore.create(KeystorePassword.literal(password.clone())))
                .withPkcs12(Pkcs12Keystore.create(KeystorePassword.literal(password.clone())))).build();

        assertThat(k8s.store().syncDerivedOutputs(withKeystores)).isTrue();
        assertThat(k8s.store().syncDerivedOutputs(withKeystores)).as("a second sync finds all current").isFalse();

        Map<String, String> data = k8s.secret("shop", "web-tls").getData();
        assertThat(caCrt()).isEqualTo(bundle);
        // keystore.go addCAsToJKSStore: "ca", then "ca-1", "ca-2", ... in ca.crt's order.
        KeyStore jks = open("JKS", data.get("truststore.jks"), password);
        assertThat(Collections.list(jks.aliases())).containsExactlyInAnyOrder("ca", "ca-1");
        assertThat(jks.getCertificate("ca")).isEqualTo(root);
        assertThat(jks.getCertificate("ca-1")).isEqualTo(otherRoot);
        assertThat(open("JKS", data.get("keystore.jks"), password).getCertificate("ca-1")).isEqualTo(otherRoot);
        KeyStore p12 = open("PKCS12", data.get("truststore.p12"), password);
        assertThat(Collections.list(p12.aliases()).stream().map(alias -> {
            try {
                return p12.getCertificate(alias);
            } catch (java.security.KeyStoreException e) {
                throw new IllegalStateException(e);
            }
        })).containsExactlyInAnyOrder(root, otherRoot);
    }

    private static KeyStore open(String type, String base64, char[] password) throws Exception {
        assertThat(base64).as("%s file", type).isNotNull();
        KeyStore keystore = KeyStore.getInstance(type);
        keystore.load(new ByteArrayInputStream(Base64.getDecoder().decode(base64)), password);
        return keystore;
    }

    @Test
    void aSingleCaCrtSomeoneElseWroteStaysThroughARenewalWhoseIssuerNamesNoCa() throws Exception {
        String single = Pem.encodeChain(List.of(otherRoot));
        k8s.api().inspector().secrets().inNamespace("shop").withName("web-tls").edit(secret -> {
            secret.getData().put("ca.crt", Base64.getEncoder().encodeToString(single.getBytes(StandardCharsets.US_ASCII)));
            return secret;
        });
        k8s.store().load(WEB).orElseThrow();

        k8s.store().save(WEB, renewed(Optional.empty()));

        assertThat(caCrt()).isEqualTo(single);
    }
}
