package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.store.CertificateKeystores;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.JksKeystore;
import dev.autocert4j.store.KeystorePassword;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.Pkcs12Keystore;
import dev.autocert4j.store.Pkcs12Profile;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.TestCertificates;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.KnownSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A certificate's own {@code spec.keystores}, each file read by {@code openssl pkcs12} and {@code keytool}: the
 * ciphers of each PKCS#12 profile, go-pkcs12's bags and attributes, JKS aliases, and how the certificate's
 * keystores override the store's.
 */
class CertificateKeystoresTest {
    private static final Pattern LOCAL_KEY_ID = Pattern.compile("localKeyID: ([0-9A-F ]+)");
    private static KubernetesMockApi api;
    private static OpensslCa ca;
    private static Path caDir;

    private final String password = KnownSecrets.register("pw-" + UUID.randomUUID());
    private final String literal = KnownSecrets.register("lit-" + UUID.randomUUID());

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        api = new KubernetesMockApi();
        caDir = Files.createTempDirectory("keystores-ca");
        ca = new OpensslCa(caDir);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        try (var files = Files.walk(caDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void createPasswordSecret(String name, String value) {
        api.inspector().secrets().inNamespace("web").resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace("web").endMetadata().withType("Opaque")
                .withData(Map.of("password", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
                .build()).createOr(existing -> existing.update());
    }

    private static Certificate.Builder certificate(String name) {
        return Certificate.builder(name).namespace("web").dnsNames(name + ".example.test")
                .issuerRef(IssuerRef.clusterIssuer("ca"));
    }

    private static Secret secret(Certificate certificate) {
        return api.inspector().secrets().inNamespace("web").withName(certificate.secretName()).get();
    }

    private static byte[] entry(Secret secret, String key) {
        return Base64.getDecoder().decode(secret.getData().get(key));
    }

    /** A chain as a private CA issues it: leaf, intermediate, self-signed root (which goes into ca.crt). */
    private static StoredCertificate caIssued(Certificate certificate) throws Exception {
        OpensslCa.Leaf leaf = ca.issue("rsa:2048", "/CN=" + certificate.dnsNames().get(0),
                "DNS:" + certificate.dnsNames().get(0), "serverAuth");
        List<X509Certificate> chain = new ArrayList<>(Pem.decodeChain(leaf.chainPem()));
        chain.addAll(Pem.decodeChain(leaf.rootPem()));
        return new StoredCertificate(chain, Pem.decodeKeyPair(leaf.keyPem()),
                new CertificateMetadata(certificate.specFingerprint(), "ca", 1, Instant.now()));
    }

    private static String colonHex(byte[] bytes) {
        return String.join(" ", HexFormat.of().withUpperCase().formatHex(bytes).split("(?<=\\G..)"));
    }

    @ParameterizedTest
    @EnumSource(Pkcs12Profile.class)
    void eachPkcs12ProfileIsWrittenWithItsCiphersAndGoPkcs12sBagsAsOpensslAndKeytoolReadThem(Pkcs12Profile profile)
            throws Exception {
        Certificate certificate = certificate("p12-" + profile.name().toLowerCase().replace('_', '-'))
                .keystores(CertificateKeystores.NONE.withPkcs12(Pkcs12Keystore.create(
                        KeystorePassword.literal(literal.toCharArray())).withProfile(profile))).build();
        StoredCertificate stored = caIssued(certificate);

        KubernetesSecretStore.of(api.client()).save(certificate, stored);

        Secret secret = secret(certificate);
        assertThat(secret.getData().keySet()).contains("keystore.p12", "truststore.p12").doesNotContain("keystore.jks");
        KeystoreTools tools = new KeystoreTools(dir);
        tools.write("keystore.p12", entry(secret, "keystore.p12"));
        tools.write("truststore.p12", entry(secret, "truststore.p12"));
        tools.write("tls.key", entry(secret, "tls.key"));
        String[] legacy = profile == Pkcs12Profile.LEGACY_RC2 ? new String[] {"-legacy"} : new String[0];
        String pass = "pass:" + literal;

        if (profile == Pkcs12Profile.LEGACY_RC2) {
            assertThat(tools.openssl("pkcs12", "-info", "-in", "keystore.p12", "-passin", pass, "-nokeys").exitCode())
                    .as("OpenSSL 3 reads RC2 only with -legacy").isNotZero();
        }
        String info = tools.openssl(concat(legacy, "pkcs12", "-info", "-in", "keystore.p12", "-passin", pass, "-nokeys")).output();
        String certificates = switch (profile) {
            case LEGACY_RC2 -> "PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 2048";
            case LEGACY_DES -> "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048";
            case MODERN_2023 -> "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256";
        };
        String key = profile == Pkcs12Profile.MODERN_2023
                ? "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"
                : "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048";
        String mac = profile == Pkcs12Profile.MODERN_2023 ? "MAC: sha256, Iteration 2048" : "MAC: sha1, Iteration 1";
        assertThat(info).contains(mac, certificates, key).doesNotContain("friendlyName");
        // go-pkcs12's Encode: encrypted certificates first (leaf, then the rest of tls.crt, then ca.crt), then the key.
        assertThat(info.indexOf(certificates)).isLessThan(info.indexOf(key));
        assertThat(info.split("Certificate bag", -1)).hasSize(4);
        assertThat(info.split("Bag Attributes: <No Attributes>", -1)).as("CA bags without attributes").hasSize(3);
        List<String> subjects = Pattern.compile("subject=(.*)").matcher(info).results().map(m -> m.group(1)).toList();
        assertThat(subjects).containsExactly("CN = " + certificate.dnsNames().get(0), "CN = Fixture Intermediate",
                "CN = Fixture Root");
        String leafId = colonHex(MessageDigest.getInstance("SHA-1").digest(stored.chain().get(0).getEncoded()));
        assertThat(localKeyIds(info)).as("localKeyID of the leaf: its SHA-1").containsExactly(leafId);

        assertThat(tools.openssl(concat(legacy, "pkcs12", "-in", "keystore.p12", "-passin", pass, "-nocerts", "-nodes",
                "-out", "extracted.key")).exitCode()).isZero();
        // Only the attribute lines of the extracted file are looked at, never the key in it.
        assertThat(localKeyIds(Files.readString(dir.resolve("extracted.key")))).as("localKeyID of the key bag: the leaf's")
                .containsExactly(leafId);
        assertThat(tools.publicKeyOf("extracted.key")).as("the key is tls.key's").isEqualTo(tools.publicKeyOf("tls.key"));

        String list = tools.keytool("-list", "-v", "-storetype", "PKCS12", "-keystore", "keystore.p12", "-storepass", literal)
                .output();
        assertThat(list).contains("Your keystore contains 1 entry", "Alias name: 1", "Entry type: PrivateKeyEntry",
                "Certificate chain length: 3");
        assertThat(tools.keytool("-list", "-storetype", "PKCS12", "-keystore", "keystore.p12", "-storepass", "wrong")
                .exitCode()).as("the password protects the file").isNotZero();

        String trust = tools.openssl(concat(legacy, "pkcs12", "-info", "-in", "truststore.p12", "-passin", pass, "-nokeys"))
                .output();
        assertThat(trust).contains(mac, certificates, "friendlyName: CN=Fixture Root", "2.16.840.1.113894.746875.1.1")
                .doesNotContain("Shrouded Keybag", "localKeyID");
        assertThat(trust.split("Certificate bag", -1)).hasSize(2);
        String trustList = tools.keytool("-list", "-storetype", "PKCS12", "-keystore", "truststore.p12", "-storepass", literal)
                .output();
        assertThat(trustList).contains("Your keystore contains 1 entry", "trustedCertEntry");
    }

    @Test
    void aJksKeystoreHoldsTheKeyUnderItsAliasAndTheCaAsCa() throws Exception {
        createPasswordSecret("jks-password", password);
        Certificate certificate = certificate("jks").keystores(CertificateKeystores.NONE.withJks(
                JksKeystore.create(KeystorePassword.fromSecret("jks-password", "password")).withAlias("Shop-Key"))).build();

        KubernetesSecretStore.of(api.client()).save(certificate, caIssued(certificate));

        Secret secret = secret(certificate);
        assertThat(secret.getData().keySet()).contains("keystore.jks", "truststore.jks").doesNotContain("keystore.p12");
        KeystoreTools tools = new KeystoreTools(dir);
        tools.write("keystore.jks", entry(secret, "keystore.jks"));
        tools.write("truststore.jks", entry(secret, "truststore.jks"));
        String list = tools.keytool("-list", "-v", "-storetype", "JKS", "-keystore", "keystore.jks", "-storepass", password)
                .output();
        assertThat(list).contains("Your keystore contains 2 entries", "Alias name: shop-key", "Alias name: ca",
                "Certificate chain length: 2");
        assertThat(Pattern.compile("Alias name: shop-key\\s+Creation date: .*\\s+Entry type: PrivateKeyEntry")
                .matcher(list).find()).as("shop-key is the key entry").isTrue();
        String trust = tools.keytool("-list", "-storetype", "JKS", "-keystore", "truststore.jks", "-storepass", password)
                .output();
        assertThat(trust).contains("Your keystore contains 1 entry", "ca, ", "trustedCertEntry");
    }

    @Test
    void theStoresKeystoresApplyWhereTheCertificateSetsNoneAndCreateFalseTurnsThemOff() throws Exception {
        createPasswordSecret("store-password", password);
        KubernetesSecretStore store = KubernetesSecretStore.builder(api.client())
                .pkcs12Keystore(new SecretKeyRef("store-password", "password"))
                .jksKeystore(new SecretKeyRef("store-password", "password")).build();
        Certificate plain = certificate("plain").build();
        Certificate off = certificate("off").keystores(CertificateKeystores.NONE.withPkcs12(Pkcs12Keystore.disabled())
                .withJks(JksKeystore.disabled())).build();
        Certificate own = certificate("own").keystores(CertificateKeystores.NONE.withPkcs12(
                Pkcs12Keystore.create(KeystorePassword.literal(literal.toCharArray())).withProfile(Pkcs12Profile.LEGACY_DES)))
                .build();

        store.save(plain, TestCertificates.issue(plain, 1));
        store.save(off, TestCertificates.issue(off, 1));
        store.save(own, TestCertificates.issue(own, 1));

        assertThat(secret(plain).getData().keySet()).contains("keystore.p12", "keystore.jks");
        assertThat(secret(off).getData().keySet()).doesNotContain("keystore.p12", "truststore.p12", "keystore.jks",
                "truststore.jks");
        KeystoreTools tools = new KeystoreTools(dir);
        tools.write("plain.p12", entry(secret(plain), "keystore.p12"));
        tools.write("own.p12", entry(secret(own), "keystore.p12"));
        tools.write("own.jks", entry(secret(own), "keystore.jks"));
        assertThat(tools.openssl("pkcs12", "-info", "-in", "plain.p12", "-passin", "pass:" + password, "-nokeys", "-legacy")
                .output()).as("the store's default profile is cert-manager's LegacyRC2")
                .contains("pbeWithSHA1And40BitRC2-CBC");
        assertThat(tools.openssl("pkcs12", "-info", "-in", "own.p12", "-passin", "pass:" + literal, "-nokeys").output())
                .as("the certificate's own password and profile").contains("pbeWithSHA1And3-KeyTripleDES-CBC");
        assertThat(tools.keytool("-list", "-storetype", "JKS", "-keystore", "own.jks", "-storepass", password).output())
                .as("the store's JKS default, where the certificate sets none").contains("certificate, ", "PrivateKeyEntry");
        assertThat(secret(own).getMetadata().toString()).doesNotContain(literal);
    }

    @Test
    void preflightChecksTheCertificatesOwnPasswordSecretsButNeedsNoneForALiteral() throws Exception {
        KubernetesSecretStore store = KubernetesSecretStore.of(api.client());
        Certificate missing = certificate("missing").keystores(CertificateKeystores.NONE.withJks(
                JksKeystore.create(KeystorePassword.fromSecret("absent-password", "password")))).build();
        Certificate literalOnly = certificate("literal").keystores(CertificateKeystores.NONE.withPkcs12(
                Pkcs12Keystore.create(KeystorePassword.literal(literal.toCharArray())))).build();
        createPasswordSecret("empty-password", "");
        Certificate empty = certificate("empty").keystores(CertificateKeystores.NONE.withPkcs12(
                Pkcs12Keystore.create(KeystorePassword.fromSecret("empty-password", "password")))).build();

        assertThatThrownBy(() -> store.preflight(PreflightRequest.of(missing))).isInstanceOf(PreflightException.class)
                .hasMessageContaining("keystore password Secret web/absent-password does not exist")
                .hasMessageContaining("nothing was ordered");
        assertThatThrownBy(() -> store.preflight(PreflightRequest.of(empty))).isInstanceOf(PreflightException.class)
                .hasMessageContaining("web/empty-password key password is empty");
        store.preflight(PreflightRequest.of(literalOnly));
        assertThatThrownBy(() -> store.save(missing, TestCertificates.issue(missing, 1)))
                .hasMessageContaining("web/absent-password does not exist");
        assertThat(secret(missing)).as("nothing written").isNull();
        assertThatThrownBy(() -> store.save(empty, TestCertificates.issue(empty, 1)))
                .hasMessageContaining("web/empty-password key password is empty");
        assertThat(secret(empty)).as("nothing written").isNull();
    }

    private static List<String> localKeyIds(String text) {
        Matcher ids = LOCAL_KEY_ID.matcher(text);
        return ids.results().map(m -> m.group(1).trim()).toList();
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(rest, 0, all, 0, rest.length);
        System.arraycopy(first, 0, all, rest.length, first.length);
        return all;
    }
}
