package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.store.CertificateKeystores;
import dev.autocert4j.store.JksKeystore;
import dev.autocert4j.store.KeystorePassword;
import dev.autocert4j.store.Pkcs12Keystore;
import dev.autocert4j.store.Pkcs12Profile;
import dev.autocert4j.testing.support.KnownSecrets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code spec.keystores} as cert-manager v1.21 writes it ({@code CertificateKeystores}). */
class KeystoresManifestTest {
    private static final String HEAD = """
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: api
            spec:
              secretName: api-tls
              issuerRef:
                name: internal-ca
              dnsNames: [api.example.com]
              keystores:
            """;

    private static Certificate read(String keystores) {
        return Manifests.parse(HEAD + keystores, "api.yaml", ManifestOptions.defaults()).certificates().get(0);
    }

    @Test
    void mapsPkcs12WithProfileAndSecretPasswordAndJksWithAliasAndLiteralPassword() {
        String literal = KnownSecrets.register("lit-" + UUID.randomUUID());

        Certificate c = read("""
                    pkcs12:
                      create: true
                      profile: Modern2023
                      passwordSecretRef:
                        name: api-keystore-password
                        key: password
                    jks:
                      create: true
                      alias: api
                      password: %s
                """.formatted(literal));

        assertThat(c.keystores()).isEqualTo(CertificateKeystores.NONE
                .withPkcs12(Pkcs12Keystore.create(KeystorePassword.fromSecret("api-keystore-password", "password"))
                        .withProfile(Pkcs12Profile.MODERN_2023))
                .withJks(JksKeystore.create(KeystorePassword.literal(literal.toCharArray())).withAlias("api")));
    }

    @Test
    void defaultsAreCertManagersAndCreateFalseTurnsAKeystoreOff() {
        Certificate c = read("""
                    pkcs12:
                      create: true
                      passwordSecretRef: {name: pw, key: password}
                    jks:
                      create: false
                      passwordSecretRef: {name: pw, key: password}
                """);

        assertThat(c.keystores().pkcs12().orElseThrow().profile()).isEqualTo(Pkcs12Profile.LEGACY_RC2);
        assertThat(c.keystores().jks()).contains(JksKeystore.disabled());
        assertThat(read("    jks: {create: true, password: x}\n").keystores().jks().orElseThrow().alias())
                .isEqualTo("certificate");
        assertThat(read("    jks: {create: true, password: x}\n").keystores().pkcs12()).as("left to the store").isEmpty();
    }

    @Test
    void refusesWhatCertManagerRefusesWithoutQuotingAPassword() {
        String literal = KnownSecrets.register("lit-" + UUID.randomUUID());

        assertThatThrownBy(() -> read("    pkcs12: {create: true}\n")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("spec.keystores.pkcs12").hasMessageContaining("needs passwordSecretRef or password");
        assertThatThrownBy(() -> read("    pkcs12: {create: true, password: " + literal
                + ", passwordSecretRef: {name: pw, key: password}}\n")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("mutually exclusive")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(literal));
        assertThatThrownBy(() -> read("    pkcs12: {create: true, password: ''}\n")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> read("    pkcs12: {create: true, password: x, profile: Modern2026}\n"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("spec.keystores.pkcs12.profile")
                .hasMessageContaining("use Modern2023");
        assertThatThrownBy(() -> read("    jks: {create: true, passwordSecretRef: {name: pw}}\n"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> read("    jks: {create: true, password: x, storeType: jceks}\n"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("storeType");
    }
}
