package dev.autocert4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.testing.support.KnownSecrets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The values of cert-manager's {@code spec.keystores} on {@link Certificate}. */
class CertificateKeystoresTest {
    private static Certificate.Builder certificate() {
        return Certificate.builder("www").dnsNames("www.example.test").issuerRef(IssuerRef.clusterIssuer("ca"));
    }

    @Test
    void aCertificateWithoutKeystoresLeavesThemToTheStore() {
        assertThat(certificate().build().keystores()).isEqualTo(CertificateKeystores.NONE);
        assertThat(CertificateKeystores.NONE.pkcs12()).isEmpty();
        assertThat(CertificateKeystores.NONE.jks()).isEmpty();
    }

    @Test
    void keystoresSurviveToBuilderAndTakePartInEquality() {
        CertificateKeystores keystores = CertificateKeystores.NONE
                .withPkcs12(Pkcs12Keystore.create(KeystorePassword.fromSecret("pw", "password"))
                        .withProfile(Pkcs12Profile.MODERN_2023))
                .withJks(JksKeystore.disabled());
        Certificate certificate = certificate().keystores(keystores).build();

        assertThat(certificate.toBuilder().build()).isEqualTo(certificate).hasSameHashCodeAs(certificate);
        assertThat(certificate.toBuilder().build().keystores().pkcs12().orElseThrow().profile()).isEqualTo(Pkcs12Profile.MODERN_2023);
        assertThat(certificate).isNotEqualTo(certificate().build());
        assertThatThrownBy(() -> certificate().keystores(keystores).keystores(keystores))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("keystores was already set");
    }

    @Test
    void defaultsAreCertManagers() {
        KeystorePassword password = KeystorePassword.fromSecret("pw", "password");
        assertThat(Pkcs12Keystore.create(password).profile()).isEqualTo(Pkcs12Profile.LEGACY_RC2);
        assertThat(JksKeystore.create(password).alias()).isEqualTo("certificate");
        assertThat(Pkcs12Keystore.disabled().create()).isFalse();
        assertThat(JksKeystore.disabled().password()).isEmpty();
    }

    @Test
    void aLiteralPasswordNeverShowsInToStringOfAnyValueHoldingIt() {
        String secret = KnownSecrets.register("lit-" + UUID.randomUUID());
        KeystorePassword password = KeystorePassword.literal(secret.toCharArray());
        CertificateKeystores keystores = CertificateKeystores.NONE.withPkcs12(Pkcs12Keystore.create(password))
                .withJks(JksKeystore.create(password));

        assertThat(password.toString()).doesNotContain(secret).contains("literal");
        assertThat(keystores.toString()).doesNotContain(secret);
        assertThat(certificate().keystores(keystores).build().toString()).doesNotContain(secret);
        assertThat(new String(password.literalCopy().orElseThrow())).isEqualTo(secret);
        assertThat(password).isEqualTo(KeystorePassword.literal(secret.toCharArray()));
    }

    @Test
    void badKeystoreValuesAreRefusedWithWhatToChange() {
        assertThatThrownBy(() -> KeystorePassword.literal(new char[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> KeystorePassword.fromSecret("Bad_Name", "password"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DNS-1123");
        assertThatThrownBy(() -> KeystorePassword.fromSecret("pw", "a/b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passwordSecretRef.key");
        assertThatThrownBy(() -> JksKeystore.create(KeystorePassword.fromSecret("pw", "k")).withAlias(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias must not be blank");
    }

    @Test
    void jksAliasesAreLowerCaseAsJksStoresThem() {
        assertThat(JksKeystore.create(KeystorePassword.fromSecret("pw", "k")).withAlias("MyKey").alias()).isEqualTo("mykey");
    }

    @Test
    void profilesParseFromCertManagersNamesAndModern2026IsRefusedByName() {
        assertThat(Pkcs12Profile.fromManifestName("LegacyRC2")).isEqualTo(Pkcs12Profile.LEGACY_RC2);
        assertThat(Pkcs12Profile.fromManifestName("LegacyDES")).isEqualTo(Pkcs12Profile.LEGACY_DES);
        assertThat(Pkcs12Profile.fromManifestName("Modern2023")).isEqualTo(Pkcs12Profile.MODERN_2023);
        assertThatThrownBy(() -> Pkcs12Profile.fromManifestName("Modern2026"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use Modern2023");
        assertThatThrownBy(() -> Pkcs12Profile.fromManifestName("legacyrc2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LegacyRC2, LegacyDES, Modern2023");
    }
}
