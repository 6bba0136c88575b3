package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.OutputFormat;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** cert-manager's additionalOutputFormats (secret.go setAdditionalOutputFormats, secrets.go OutputFormat*). */
class AdditionalOutputFormatsTest {
    private static final Certificate BOTH = Certificate.builder("web").namespace("shop").dnsNames("web.example.com")
            .privateKey(PrivateKeySpec.ecdsa(256).withEncoding(dev.autocert4j.KeyEncoding.PKCS8))
            .additionalOutputFormats(OutputFormat.COMBINED_PEM, OutputFormat.DER)
            .issuerRef(IssuerRef.clusterIssuer("ca")).build();
    @RegisterExtension
    final SecretStoreOnMockApi k8s = new SecretStoreOnMockApi();

    private Secret secret() {
        return k8s.secret("shop", "web");
    }

    private static byte[] bytes(Secret secret, String key) {
        return Base64.getDecoder().decode(secret.getData().get(key));
    }

    @Test
    void combinedPemIsTheKeyALineBreakAndTheChainAndDerIsTheKeysBytes() throws Exception {
        StoredCertificate issued = TestCertificates.issue(BOTH, 1);

        k8s.store().save(BOTH, issued);

        Secret secret = secret();
        String key = new String(bytes(secret, "tls.key"), StandardCharsets.US_ASCII);
        String chain = new String(bytes(secret, "tls.crt"), StandardCharsets.US_ASCII);
        // Compared as booleans: an assertion message must not print key material.
        assertThat(new String(bytes(secret, "tls-combined.pem"), StandardCharsets.US_ASCII).equals(key + "\n" + chain)).isTrue();
        byte[] der = bytes(secret, "key.der");
        assertThat(Arrays.equals(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)).getEncoded(),
                issued.keyPair().getPrivate().getEncoded())).isTrue();
    }

    @Test
    void aRenewalRewritesThemAndFormatsNoLongerAskedForGoAway() throws Exception {
        k8s.store().save(BOTH, TestCertificates.issue(BOTH, 1));
        byte[] firstDer = bytes(secret(), "key.der");
        StoredCertificate renewed = TestCertificates.issue(BOTH, 2);

        k8s.store().save(BOTH, renewed);

        assertThat(Arrays.equals(bytes(secret(), "key.der"), firstDer)).as("key.der still the first key").isFalse();
        assertThat(Arrays.equals(bytes(secret(), "key.der"), renewed.keyPair().getPrivate().getEncoded())).isTrue();

        Certificate pemOnly = BOTH.toBuilder().additionalOutputFormats(OutputFormat.COMBINED_PEM).build();
        k8s.store().save(pemOnly, TestCertificates.issue(pemOnly, 3));

        assertThat(secret().getData()).containsKey("tls-combined.pem").doesNotContainKey("key.der");
    }

    @Test
    void aStaleCombinedPemInTheSecretIsRemovedWhenTheCertificateDoesNotAskForIt() throws Exception {
        Certificate none = Certificate.builder("web").namespace("shop").dnsNames("web.example.com")
                .issuerRef(IssuerRef.clusterIssuer("ca")).build();
        k8s.store().save(none, TestCertificates.issue(none, 1));
        // Left by cert-manager, or by an earlier spec that asked for them.
        k8s.api().inspector().secrets().inNamespace("shop").withName("web").edit(s -> {
            s.getData().put("tls-combined.pem", Base64.getEncoder().encodeToString("stale".getBytes(StandardCharsets.US_ASCII)));
            s.getData().put("key.der", Base64.getEncoder().encodeToString("stale".getBytes(StandardCharsets.US_ASCII)));
            return s;
        });

        k8s.store().save(none, TestCertificates.issue(none, 2));

        assertThat(secret().getData()).doesNotContainKeys("tls-combined.pem", "key.der").containsKeys("tls.crt", "tls.key");
    }
}
