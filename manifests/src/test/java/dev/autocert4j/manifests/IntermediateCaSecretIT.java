package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.CertificateManager;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A {@code ca} issuer whose CA is an intermediate, its Secret made with openssl: the issued Secret's
 * {@code tls.crt} is the leaf and the intermediate, {@code ca.crt} the root, or the intermediate when the CA
 * Secret holds no root, as cert-manager's CA issuer writes them ({@code pkg/util/kube/pki.go
 * SecretTLSKeyPairAndCA} appends the CA Secret's {@code ca.crt} to its {@code tls.crt};
 * {@code pkg/util/pki/parse_certificate_chain.go toBundleAndCA} leaves a self-signed root out of the chain and
 * makes the top of the chain the CA: the root, or else the top-most intermediate, which then also stays in the
 * chain).
 */
class IntermediateCaSecretIT {
    @TempDir
    static Path dir;
    private static String rootPem;
    private static String intermediatePem;
    private static String intermediateKeyPem;

    @BeforeAll
    static void makeCaWithOpenssl() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "root.key",
                "-out", "root.crt", "-subj", "/CN=Openssl Root", "-days", "3650",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "intermediate.key",
                "-out", "intermediate.csr", "-subj", "/CN=Openssl Intermediate");
        Files.writeString(dir.resolve("v3.cnf"), "[v3]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n");
        openssl("x509", "-req", "-in", "intermediate.csr", "-CA", "root.crt", "-CAkey", "root.key", "-set_serial", "7",
                "-days", "3650", "-extfile", "v3.cnf", "-extensions", "v3", "-out", "intermediate.crt");
        rootPem = Files.readString(dir.resolve("root.crt"));
        intermediatePem = Files.readString(dir.resolve("intermediate.crt"));
        intermediateKeyPem = Files.readString(dir.resolve("intermediate.key"));
    }

    @Test
    void theRootInTheCaSecretsCaCrtBecomesTheIssuedSecretsCaCrt() throws Exception {
        Secret issued = issueWith(Map.of("tls.crt", intermediatePem, "tls.key", intermediateKeyPem, "ca.crt", rootPem));

        assertThat(subjects(issued, "tls.crt")).containsExactly("CN=api.shop.test", "CN=Openssl Intermediate");
        assertThat(subjects(issued, "ca.crt")).containsExactly("CN=Openssl Root");
    }

    @Test
    void aRootAtTheEndOfTheCaSecretsTlsCrtBecomesTheIssuedSecretsCaCrt() throws Exception {
        Secret issued = issueWith(Map.of("tls.crt", intermediatePem + rootPem, "tls.key", intermediateKeyPem));

        assertThat(subjects(issued, "tls.crt")).containsExactly("CN=api.shop.test", "CN=Openssl Intermediate");
        assertThat(subjects(issued, "ca.crt")).containsExactly("CN=Openssl Root");
    }

    @Test
    void anIntermediateWithoutAKnownRootIsTheIssuedSecretsCaCrtAndStaysInItsTlsCrt() throws Exception {
        Secret issued = issueWith(Map.of("tls.crt", intermediatePem, "tls.key", intermediateKeyPem));

        assertThat(subjects(issued, "tls.crt")).containsExactly("CN=api.shop.test", "CN=Openssl Intermediate");
        assertThat(subjects(issued, "ca.crt")).containsExactly("CN=Openssl Intermediate");
        assertThat(decoded(issued, "ca.crt")).isEqualTo(Pem.decodeChain(intermediatePem));
    }

    private static final String CERTIFICATE = """
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: api, namespace: shop}
            spec:
              secretName: api-tls
              issuerRef: {name: intermediate}
              commonName: api.shop.test
              dnsNames: [api.shop.test]
            """;

    private static Secret issueWith(Map<String, String> caSecret) throws Exception {
        StringBuilder data = new StringBuilder();
        caSecret.forEach((k, v) -> data.append("  ").append(k).append(": ")
                .append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))).append('\n'));
        String yaml = """
                apiVersion: v1
                kind: Secret
                metadata: {name: intermediate-ca, namespace: shop}
                type: kubernetes.io/tls
                data:
                """ + data + """
                ---
                apiVersion: cert-manager.io/v1
                kind: Issuer
                metadata: {name: intermediate, namespace: shop}
                spec:
                  ca: {secretName: intermediate-ca}
                ---
                """ + CERTIFICATE;
        Manifests manifests = Manifests.parse(yaml, "intermediate.yaml", ManifestOptions.builder().build());
        try (KubernetesMockApi api = new KubernetesMockApi();
                CertificateManager manager = manifests.applyTo(CertificateManager.builder())
                        .store(KubernetesSecretStore.of(api.client())).build()) {
            manager.obtain(manifests.certificate("shop", "api").orElseThrow());
            Secret secret = api.inspector().secrets().inNamespace("shop").withName("api-tls").get();
            @SuppressWarnings("unchecked")
            CertManagerSpec spec = CertManagerSpec.fromYaml((Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromString(CERTIFICATE));
            for (List<CertManagerPolicies.Check> chain : List.of(CertManagerPolicies.triggerChain(), CertManagerPolicies.readinessChain(),
                    CertManagerPolicies.postIssuanceChain())) {
                assertThat(CertManagerPolicies.evaluate(chain, spec, secret, Instant.now())).isEmpty();
            }
            return secret;
        }
    }

    private static List<String> subjects(Secret secret, String key) throws Exception {
        List<String> subjects = new ArrayList<>();
        for (X509Certificate c : decoded(secret, key)) {
            subjects.add(c.getSubjectX500Principal().getName());
        }
        return subjects;
    }

    private static List<X509Certificate> decoded(Secret secret, String key) throws Exception {
        String value = secret.getData().get(key);
        assertThat(value).as(key).isNotNull();
        return Pem.decodeChain(new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII));
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl " + args[0] + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
