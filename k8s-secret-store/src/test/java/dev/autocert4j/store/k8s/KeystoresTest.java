package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.TestCertificates;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.KnownSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code keystore.p12}/{@code keystore.jks} options of {@link KubernetesSecretStore}. */
class KeystoresTest {
    private static final Certificate CERT = Certificate.builder("www").namespace("web").secretName("www-tls")
            .dnsNames("www.example.test").issuerRef(IssuerRef.clusterIssuer("letsencrypt")).build();
    private static final SecretKeyRef PASSWORD_REF = new SecretKeyRef("keystore-password", "password");

    private final String password = KnownSecrets.register("pw-" + UUID.randomUUID());
    private KubernetesMockApi api;
    private KubernetesSecretStore store;

    @BeforeEach
    void start() throws Exception {
        api = new KubernetesMockApi();
        store = KubernetesSecretStore.builder(api.client()).pkcs12Keystore(PASSWORD_REF).jksKeystore(PASSWORD_REF).build();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private void createPasswordSecret(String key, String value) {
        api.inspector().secrets().inNamespace("web").resource(new SecretBuilder().withNewMetadata().withName("keystore-password")
                .withNamespace("web").endMetadata().withType("Opaque")
                .withData(Map.of(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
                .build()).create();
    }

    private Secret secret() {
        return api.inspector().secrets().inNamespace("web").withName("www-tls").get();
    }

    private static byte[] bytes(Secret secret, String key) {
        return Base64.getDecoder().decode(secret.getData().get(key));
    }

    private KeyStore open(String type, byte[] data, char[] pw) throws Exception {
        KeyStore keystore = KeyStore.getInstance(type);
        keystore.load(new ByteArrayInputStream(data), pw);
        return keystore;
    }

    @Test
    void keystoresHoldTheSameChainAndKeyAsTlsCrtAndTlsKey() throws Exception {
        createPasswordSecret("password", password);

        store.save(CERT, TestCertificates.issue(CERT, 1));

        Secret secret = secret();
        assertThat(secret.getData().keySet()).containsExactlyInAnyOrder("tls.crt", "tls.key", "ca.crt",
                "keystore.p12", "truststore.p12", "keystore.jks", "truststore.jks");
        List<X509Certificate> chain = Pem.decodeChain(new String(bytes(secret, "tls.crt"), StandardCharsets.UTF_8));
        PrivateKey key = Pem.decodeKeyPair(new String(bytes(secret, "tls.key"), StandardCharsets.UTF_8)).getPrivate();
        X509Certificate ca = Pem.decodeChain(new String(bytes(secret, "ca.crt"), StandardCharsets.UTF_8)).get(0);
        char[] pw = password.toCharArray();

        for (String type : List.of("PKCS12", "JKS")) {
            String suffix = type.equals("PKCS12") ? "p12" : "jks";
            // go-pkcs12 gives the key no friendly name, so Java calls it "1"; keystore-go uses the JKS alias.
            String alias = type.equals("PKCS12") ? "1" : "certificate";
            KeyStore keystore = open(type, bytes(secret, "keystore." + suffix), pw);
            assertThat(Collections.list(keystore.aliases())).as(type)
                    .containsExactlyInAnyOrderElementsOf(type.equals("JKS") ? List.of("certificate", "ca") : List.of("1"));
            // PKCS#12: the chain as Java builds it from the bags (leaf, then ca.crt).
            assertThat(Arrays.asList(keystore.getCertificateChain(alias))).as(type).startsWith(chain.toArray(new X509Certificate[0]));
            Key stored = keystore.getKey(alias, pw);
            // Compared without AssertJ's byte dump: a failure message must not print the key.
            assertThat(stored.getAlgorithm()).isEqualTo(key.getAlgorithm());
            assertThat(Arrays.equals(stored.getEncoded(), key.getEncoded())).as(type + " key equals tls.key").isTrue();

            KeyStore truststore = open(type, bytes(secret, "truststore." + suffix), pw);
            // go-pkcs12's EncodeTrustStore names the CA by its subject; Java lower-cases PKCS#12 aliases.
            String caAlias = type.equals("PKCS12") ? "cn=autocert4j test ca" : "ca";
            assertThat(Collections.list(truststore.aliases())).as(type).containsExactly(caAlias);
            assertThat(truststore.getCertificate(caAlias)).as(type).isEqualTo(ca);
            assertThatThrownBy(() -> open(type, bytes(secret, "keystore." + suffix), "wrong".toCharArray()))
                    .as(type + " keystore is protected by the password").isNotNull();
        }
    }

    @Test
    void aChainWithoutAKnownCaGetsKeystoresButNoTruststores() throws Exception {
        createPasswordSecret("password", password);
        StoredCertificate issued = TestCertificates.issue(CERT, 1);
        // as an ACME CA sends it: the leaf and intermediates, no self-signed root, so ca.crt is unknown
        StoredCertificate withoutRoot = new StoredCertificate(List.of(issued.leaf()), issued.keyPair(), issued.metadata());

        store.save(CERT, withoutRoot);

        assertThat(secret().getData().keySet()).containsExactlyInAnyOrder("tls.crt", "tls.key", "keystore.p12", "keystore.jks");
        for (String type : List.of("PKCS12", "JKS")) {
            KeyStore keystore = open(type, bytes(secret(), "keystore." + (type.equals("PKCS12") ? "p12" : "jks")), password.toCharArray());
            // the key's alias as cert-manager's files show it: go-pkcs12 sets no friendly name (keytool lists "1"); JKS "certificate"
            assertThat(Collections.list(keystore.aliases())).as(type + ": no ca entry either")
                    .containsExactly(type.equals("PKCS12") ? "1" : "certificate");
        }

        store.save(CERT, TestCertificates.issue(CERT, 2));

        assertThat(secret().getData().keySet()).as("with a known CA, the truststores come").contains("ca.crt", "truststore.p12",
                "truststore.jks");
    }

    @Test
    void aMissingPasswordSecretFailsClearlyAndWritesNothing() throws Exception {
        assertThatThrownBy(() -> store.save(CERT, TestCertificates.issue(CERT, 1)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("keystore password Secret web/keystore-password does not exist")
                .hasMessageContaining("web/www-tls was not written");
        assertThat(secret()).isNull();

        // An existing Secret stays as it was, too.
        KubernetesSecretStore.of(api.client()).save(CERT, TestCertificates.issue(CERT, 1));
        String version = secret().getMetadata().getResourceVersion();
        assertThatThrownBy(() -> store.save(CERT, TestCertificates.issue(CERT, 2))).isInstanceOf(StoreException.class);
        assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(store.load(CERT).orElseThrow().metadata().revision()).isEqualTo(1);
    }

    @Test
    void aPasswordSecretWithoutTheKeyFailsWithoutQuotingItsData() throws Exception {
        createPasswordSecret("other-key", password);

        assertThatThrownBy(() -> store.save(CERT, TestCertificates.issue(CERT, 1)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("web/keystore-password has no key password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
        assertThat(secret()).isNull();
    }

    @Test
    void keystoresOfFormatsNoLongerConfiguredAreRemoved() throws Exception {
        createPasswordSecret("password", password);
        store.save(CERT, TestCertificates.issue(CERT, 1));

        KubernetesSecretStore.builder(api.client()).pkcs12Keystore(PASSWORD_REF).build().save(CERT, TestCertificates.issue(CERT, 2));

        assertThat(secret().getData().keySet()).containsExactlyInAnyOrder("tls.crt", "tls.key", "ca.crt",
                "keystore.p12", "truststore.p12");
        // The new keystore holds the new certificate.
        X509Certificate leaf = store.load(CERT).orElseThrow().leaf();
        assertThat(open("PKCS12", bytes(secret(), "keystore.p12"), password.toCharArray()).getCertificate("1"))
                .isEqualTo(leaf);
    }

    @Test
    void badOptionsAreRejectedAtOnceAndToStringNamesNoPassword() {
        assertThatThrownBy(() -> new SecretKeyRef("Bad_Name", "password")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DNS-1123 subdomain").hasMessageContaining("Bad_Name");
        assertThatThrownBy(() -> new SecretKeyRef("ok", "bad/key")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data key");
        assertThatThrownBy(() -> KubernetesSecretStore.builder(api.client()).jksKeystore(PASSWORD_REF).jksKeystore(PASSWORD_REF))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jksKeystore was already set");
        assertThatThrownBy(() -> KubernetesSecretStore.builder(api.client()).clusterResourceNamespace(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.toString()).contains("keystore-password[password]");
    }
}
