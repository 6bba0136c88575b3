package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.Pem;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * ACME account keys cert-manager can use, and cert-manager's own account Secret used as it is,
 * against Pebble.
 */
class CertManagerAccountKeyIT {
    private static PebbleServer pebble;
    private static Http01Solver http01;

    @BeforeAll
    static void startPebble() throws Exception {
        pebble = PebbleServer.builder().start();
        http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build();
    }

    @AfterAll
    static void stopPebble() throws Exception {
        if (http01 != null) {
            http01.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    private static CertificateManager manager(KubernetesMockApi api, String name) {
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder(name).directory(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor())
                        .privateKeySecretRef(name + "-account-key").build())
                .solver(http01).store(KubernetesSecretStore.of(api.client())).build();
    }

    private static Certificate certificate(String issuer, String host) {
        return Certificate.builder(host.replace('.', '-')).namespace("web").dnsNames(host)
                .issuerRef(IssuerRef.clusterIssuer(issuer)).build();
    }

    @Test
    void aNewAccountKeyIsRsa2048InPkcs1AsCertManagerCreatesIt() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            manager(api, "fresh").obtain(certificate("fresh", "fresh.example.test"));

            Secret secret = api.inspector().secrets().inNamespace("cert-manager").withName("fresh-account-key").get();
            String pem = new String(Base64.getDecoder().decode(secret.getData().get("tls.key")), StandardCharsets.US_ASCII);
            // The first line only: an assertion message must not print key material.
            assertThat(pem.lines().findFirst()).contains("-----BEGIN RSA PRIVATE KEY-----");
            assertThat(((RSAPrivateCrtKey) Pem.decodeKeyPair(pem).getPrivate()).getModulus().bitLength()).isEqualTo(2048);
            assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "cert-manager");
        }
    }

    @Test
    void anIssuersAccountKeyOverridesTheRsa2048Default() throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            CertificateManager manager = CertificateManager.builder()
                    .issuer(AcmeIssuer.builder("ecdsa").directory(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor())
                            .privateKeySecretRef("ecdsa-account-key").accountKey(PrivateKeySpec.ecdsa(384)).build())
                    .solver(http01).store(KubernetesSecretStore.of(api.client())).build();

            manager.obtain(certificate("ecdsa", "ecdsa.example.test"));

            Secret secret = api.inspector().secrets().inNamespace("cert-manager").withName("ecdsa-account-key").get();
            String pem = new String(Base64.getDecoder().decode(secret.getData().get("tls.key")), StandardCharsets.US_ASCII);
            assertThat(Pem.decodeKeyPair(pem).getPrivate()).as("the issuer's accountKey, not RSA 2048")
                    .isInstanceOfSatisfying(ECPrivateKey.class, k -> assertThat(k.getParams().getCurve().getField().getFieldSize())
                            .isEqualTo(384));
        }
    }

    @Test
    void anAccountSecretThatCertManagerCreatedIsUsedAsItIsWithoutANewRegistration(@TempDir Path dir) throws Exception {
        Process genrsa = new ProcessBuilder("openssl", "genrsa", "-traditional", "-out", "account.key", "2048")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(genrsa.waitFor(60, TimeUnit.SECONDS) && genrsa.exitValue() == 0).as("openssl genrsa").isTrue();
        String keyPem = Files.readString(dir.resolve("account.key"));
        KeyPair key = Pem.decodeKeyPair(keyPem);
        // cert-manager registered the account with this key (status.acme.uri of its ClusterIssuer).
        URL certManagersAccount = new AccountBuilder().agreeToTermsOfService().useKeyPair(key)
                .createLogin(trustingSession()).getAccountLocation();
        int accountsBefore = pebble.accountCount();
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            Secret written = CertManagerSecretFixtures.create(api.client(), "acme-account-key.yaml", Map.of("tls.key", keyPem));

            manager(api, "letsencrypt-prod").obtain(certificate("letsencrypt-prod", "migrated.example.test"));

            Secret after = api.inspector().secrets().inNamespace("cert-manager").withName("letsencrypt-prod-account-key").get();
            assertThat(after.getData()).isEqualTo(written.getData());
            assertThat(pebble.accountCount()).as("accounts at Pebble").isEqualTo(accountsBefore);
            assertThat(new AccountBuilder().onlyExisting().useKeyPair(key).createLogin(trustingSession()).getAccountLocation())
                    .isEqualTo(certManagersAccount);
        }
    }

    /** An acme4j session that trusts Pebble's TLS certificate, as cert-manager would be configured to. */
    private static Session trustingSession() {
        SSLContext ssl = pebble.sslContext();
        return new Session(URI.create(pebble.directoryUrl().toString()), new GenericAcmeProvider() {
            @Override
            public HttpClient createHttpClient(NetworkSettings settings) {
                return HttpClient.newBuilder().sslContext(ssl).connectTimeout(settings.getTimeout()).build();
            }
        });
    }
}
