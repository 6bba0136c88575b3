package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.AccountKeys;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.PebbleServer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ACME issuer loaded from a manifest gets the account key cert-manager's {@code pkg/issuer/acme/setup.go}
 * creates (RSA 2048) in every store, not only in the Kubernetes one, so that the key can be handed to
 * cert-manager, which refuses any other ("ACME private key … is not of type RSA").
 */
class ManifestAccountKeyIT {
    private static final String MANIFESTS = """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: pebble}
            spec:
              acme:
                server: https://acme.invalid/directory
                privateKeySecretRef: {name: pebble-account}
                solvers:
                - http01:
                    ingress: {class: nginx}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: web, namespace: shop}
            spec:
              secretName: web-tls
              issuerRef: {name: pebble, kind: ClusterIssuer}
              dnsNames: [web.shop.test]
            """;

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

    @Test
    void aManifestIssuersNewAccountKeyIsRsa2048InTheFileStore(@TempDir Path dir) throws Exception {
        assertRsa2048(accountKeyAfterAnIssuance(FileCertificateStore.of(dir)));
    }

    @Test
    void aManifestIssuersNewAccountKeyIsRsa2048InTheMemoryStore() throws Exception {
        assertRsa2048(accountKeyAfterAnIssuance(new InMemoryCertificateStore()));
    }

    /** Algorithm and size only: an assertion message must not print key material. */
    private static void assertRsa2048(KeyPair key) {
        assertThat(key.getPrivate().getAlgorithm()).isEqualTo("RSA");
        assertThat(((RSAPrivateCrtKey) key.getPrivate()).getModulus().bitLength()).isEqualTo(2048);
    }

    private static KeyPair accountKeyAfterAnIssuance(CertificateStore store) throws Exception {
        Manifests manifests = Manifests.parse(MANIFESTS, "issuer.yaml", ManifestOptions.builder()
                .acmeServerOverride(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor())
                .http01Solvers(config -> http01).build());
        try (CertificateManager manager = manifests.applyTo(CertificateManager.builder()).store(store).build()) {
            manager.obtain(manifests.certificate("shop", "web").orElseThrow());
        }
        AcmeIssuer issuer = (AcmeIssuer) manifests.issuers().get(0);
        return ((AccountKeys) store).loadAccountKey(issuer.accountKeyRef()).orElseThrow();
    }
}
