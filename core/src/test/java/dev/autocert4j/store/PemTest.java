package dev.autocert4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.KeyEncoding;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemTest {
    static Stream<Arguments> keys() throws Exception {
        KeyPair rsa = TestChains.rsa(2048);
        KeyPair p256 = TestChains.ec("secp256r1");
        KeyPair p384 = TestChains.ec("secp384r1");
        return Stream.of(
                Arguments.of("RSA 2048", rsa, KeyEncoding.PKCS1, "RSA PRIVATE KEY"),
                Arguments.of("RSA 2048", rsa, KeyEncoding.PKCS8, "PRIVATE KEY"),
                Arguments.of("P-256", p256, KeyEncoding.PKCS1, "EC PRIVATE KEY"),
                Arguments.of("P-256", p256, KeyEncoding.PKCS8, "PRIVATE KEY"),
                Arguments.of("P-384", p384, KeyEncoding.PKCS1, "EC PRIVATE KEY"),
                Arguments.of("P-384", p384, KeyEncoding.PKCS8, "PRIVATE KEY"),
                Arguments.of("Ed25519", TestChains.ed25519(), KeyEncoding.PKCS8, "PRIVATE KEY"));
    }

    @ParameterizedTest(name = "{0} as {2}")
    @MethodSource("keys")
    void privateKeyRoundTripsWithDerivedPublicKey(String kind, KeyPair key, KeyEncoding encoding, String pemType)
            throws Exception {
        String pem = Pem.encodePrivateKey(key.getPrivate(), encoding);

        assertThat(pem).startsWith("-----BEGIN " + pemType + "-----");
        KeyPair decoded = Pem.decodeKeyPair(pem);
        assertThat(decoded.getPublic().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        assertThat(decoded.getPrivate()).isEqualTo(key.getPrivate());
    }

    @Test
    void ecKeyInSec1FormNamesItsCurveAndCarriesThePublicKey() throws Exception {
        KeyPair key = TestChains.ec("secp384r1");
        String pem = Pem.encodePrivateKey(key.getPrivate(), KeyEncoding.PKCS1);

        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(base64Body(pem));

        assertThat(sec1.getParametersObject()).hasToString("1.3.132.0.34");
        assertThat(sec1.getPublicKey()).isNotNull();
    }

    @Test
    void refusesPkcs1ForEd25519() throws Exception {
        KeyPair key = TestChains.ed25519();

        assertThatThrownBy(() -> Pem.encodePrivateKey(key.getPrivate(), KeyEncoding.PKCS1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use PKCS8");
    }

    @ParameterizedTest(name = "{0} as {2}")
    @MethodSource("keys")
    void keyMatchesItsOwnCertificateAfterARoundTripAndNoOther(String kind, KeyPair key, KeyEncoding encoding,
            String pemType) throws Exception {
        X509Certificate own = TestChains.selfSigned(key, "own.example.com");
        X509Certificate sameAlgorithmOtherKey = TestChains.selfSigned(
                kind.startsWith("RSA") ? TestChains.rsa(2048)
                        : kind.equals("Ed25519") ? TestChains.ed25519()
                        : TestChains.ec(kind.equals("P-256") ? "secp256r1" : "secp384r1"),
                "other.example.com");
        X509Certificate otherAlgorithm = TestChains.selfSigned(
                kind.startsWith("RSA") ? TestChains.ec("secp256r1") : TestChains.rsa(2048), "rsa.example.com");

        KeyPair decoded = Pem.decodeKeyPair(Pem.encodePrivateKey(key.getPrivate(), encoding));

        assertThat(Pem.keyMatches(decoded.getPrivate(), own)).isTrue();
        assertThat(Pem.keyMatches(decoded.getPrivate(), sameAlgorithmOtherKey)).isFalse();
        assertThat(Pem.keyMatches(decoded.getPrivate(), otherAlgorithm)).isFalse();
    }

    @Test
    void chainRoundTripsInOrder() throws Exception {
        X509Certificate leaf = TestChains.selfSigned(TestChains.ec("secp256r1"), "leaf.example.com");
        X509Certificate ca = TestChains.selfSigned(TestChains.rsa(2048), "ca");

        String pem = Pem.encodeChain(List.of(leaf, ca));

        assertThat(pem.split("-----BEGIN CERTIFICATE-----", -1)).hasSize(3);
        assertThat(Pem.decodeChain(pem)).containsExactly(leaf, ca);
    }

    @Test
    void garbageIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> Pem.decodeChain("hello")).isInstanceOf(Pem.InvalidPemException.class)
                .hasMessageContaining("no CERTIFICATE block");
        assertThatThrownBy(() -> Pem.decodeKeyPair("")).isInstanceOf(Pem.InvalidPemException.class)
                .hasMessageContaining("no private key block");
        assertThatThrownBy(() -> Pem.decodeKeyPair("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                .isInstanceOf(Pem.InvalidPemException.class);
    }

    @Test
    void truncatedPemIsRejectedWithoutKeyMaterialInTheMessage() throws Exception {
        KeyPair key = TestChains.rsa(2048);
        String pem = Pem.encodePrivateKey(key.getPrivate(), KeyEncoding.PKCS8);
        String truncated = pem.substring(0, pem.length() / 2);
        String body = Base64.getEncoder().encodeToString(key.getPrivate().getEncoded());

        assertThatThrownBy(() -> Pem.decodeKeyPair(truncated)).isInstanceOf(Pem.InvalidPemException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(30, 70)));
    }

    @Test
    void truncatedChainIsRejected() throws Exception {
        String pem = Pem.encodeChain(List.of(TestChains.selfSigned(TestChains.ec("secp256r1"), "a")));

        assertThatThrownBy(() -> Pem.decodeChain(pem.substring(0, pem.length() - 40)))
                .isInstanceOf(Pem.InvalidPemException.class);
    }

    @Test
    void aCertificateIsNotAKeyAndAKeyIsNotAChain() throws Exception {
        KeyPair key = TestChains.ec("secp256r1");
        String certificatePem = Pem.encodeChain(List.of(TestChains.selfSigned(key, "a")));
        String keyPem = Pem.encodePrivateKey(key.getPrivate(), KeyEncoding.PKCS1);

        assertThatThrownBy(() -> Pem.decodeKeyPair(certificatePem)).isInstanceOf(Pem.InvalidPemException.class)
                .hasMessageContaining("expected an unencrypted private key");
        assertThatThrownBy(() -> Pem.decodeChain(keyPem)).isInstanceOf(Pem.InvalidPemException.class)
                .hasMessageContaining("expected only CERTIFICATE blocks");
    }

    private static byte[] base64Body(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
