package dev.autocert4j.store.k8s;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Secrets written the way cert-manager writes them: hand-written YAML under
 * {@code src/test/resources/cert-manager-secrets/} with the PEMs of an {@link OpensslCa} filled in.
 * Never produced by our own store.
 */
final class CertManagerSecretFixtures {
    /** The Certificate of the {@code acme-*.yaml} fixtures for Secret {@code shop/web-tls}, built in code. */
    static final Certificate WEB_TLS = Certificate.builder("web").namespace("shop").secretName("web-tls")
            .dnsNames("app.example.com", "api.example.com").privateKey(PrivateKeySpec.ecdsa(256))
            .issuerRef(IssuerRef.clusterIssuer("letsencrypt-prod")).build();

    private CertManagerSecretFixtures() {
    }

    /**
     * Creates one of the {@code acme-*.yaml} Secrets ({@code shop/web-tls}, for {@link #WEB_TLS}) with a leaf as
     * Let's Encrypt issues it: P-256, the SANs sorted, the first as common name.
     *
     * @param client the client to create the Secret with
     * @param dir a directory for the openssl CA
     * @param resource the YAML file's name
     * @return the Secret as created
     */
    static Secret createWebTls(KubernetesClient client, Path dir, String resource) throws IOException, InterruptedException {
        OpensslCa.Leaf leaf = new OpensslCa(dir).issue("ec:P-256", "/CN=api.example.com",
                "DNS:api.example.com,DNS:app.example.com", "serverAuth,clientAuth");
        return create(client, resource, Map.of("tls.crt", leaf.chainPem(), "tls.key", leaf.keyPem()));
    }

    /**
     * @param client the client to create the Secret with
     * @param resource the YAML file's name
     * @param pems PEM text by placeholder name ({@code tls.crt}, {@code tls.key}, {@code ca.crt})
     * @return the Secret as created
     */
    static Secret create(KubernetesClient client, String resource, Map<String, String> pems) throws IOException {
        String yaml;
        try (InputStream in = CertManagerSecretFixtures.class.getResourceAsStream("/cert-manager-secrets/" + resource)) {
            if (in == null) {
                throw new IOException("no fixture " + resource);
            }
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> pem : pems.entrySet()) {
            yaml = yaml.replace("${" + pem.getKey() + "}",
                    Base64.getEncoder().encodeToString(pem.getValue().getBytes(StandardCharsets.US_ASCII)));
        }
        if (yaml.contains("${")) {
            throw new IllegalArgumentException(resource + " has placeholders left: " + yaml);
        }
        Secret secret = client.getKubernetesSerialization().unmarshal(yaml, Secret.class);
        return client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).create();
    }
}
