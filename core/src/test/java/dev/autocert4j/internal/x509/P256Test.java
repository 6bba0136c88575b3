package dev.autocert4j.internal.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class P256Test {
    private static final byte[] MESSAGE = "eyJhbGciOiJFUzI1NiJ9.eyJ0ZXN0Ijp0cnVlfQ".getBytes(StandardCharsets.US_ASCII);

    private static KeyPair jdkKeyPair(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static byte[] sign(KeyPair pair, byte[] message) throws Exception {
        Signature signer = P256.newSha256WithEcdsa();
        signer.initSign(pair.getPrivate());
        signer.update(message);
        return signer.sign();
    }

    private static boolean jdkVerifies(KeyPair pair, byte[] message, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pair.getPublic());
        verifier.update(message);
        return verifier.verify(signature);
    }

    @Test
    void generatedKeysAreTheJdksOwnP256KeyObjects() throws Exception {
        KeyPair ours = P256.generateKeyPair();
        KeyPair jdk = jdkKeyPair("secp256r1");

        assertThat(ours.getPublic().getClass()).isEqualTo(jdk.getPublic().getClass());
        assertThat(ours.getPrivate().getClass()).isEqualTo(jdk.getPrivate().getClass());
        assertThat(P256.isP256(ours.getPublic())).isTrue();
        assertThat(KeyPairs.matches(ours.getPublic(), PrivateKeySpec.ecdsa(256))).isTrue();
    }

    @Test
    void theJdkVerifiesItsSignaturesWithTheMatchingPublicKeyOnly() throws Exception {
        KeyPair pair = P256.generateKeyPair();
        byte[] signature = sign(pair, MESSAGE);

        assertThat(jdkVerifies(pair, MESSAGE, signature)).isTrue();
        assertThat(jdkVerifies(pair, "another message".getBytes(StandardCharsets.US_ASCII), signature)).isFalse();
        assertThat(jdkVerifies(P256.generateKeyPair(), MESSAGE, signature)).isFalse();
    }

    @Test
    void signsWithKeysTheJdkGeneratedAndWithAFreshNonceEachTime() throws Exception {
        KeyPair jdk = jdkKeyPair("secp256r1");

        byte[] first = sign(jdk, MESSAGE);
        byte[] second = sign(jdk, MESSAGE);

        assertThat(jdkVerifies(jdk, MESSAGE, first)).isTrue();
        assertThat(jdkVerifies(jdk, MESSAGE, second)).isTrue();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void refusesKeysOfAnotherCurveOrAlgorithmSayingWhatItTakes() throws Exception {
        KeyPair p384 = jdkKeyPair("secp384r1");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);

        assertThat(P256.isP256(p384.getPublic())).isFalse();
        assertThatThrownBy(() -> P256.newSha256WithEcdsa().initSign(p384.getPrivate()))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("P-256");
        assertThatThrownBy(() -> P256.newSha256WithEcdsa().initSign(rsa.generateKeyPair().getPrivate()))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("P-256");
    }

    @Test
    void aCsrForAP256KeyCarriesAValidEcdsaWithSha256Signature() throws Exception {
        KeyPair pair = KeyPairs.generate(PrivateKeySpec.ecdsa(256));
        Certificate certificate = Certificate.builder("www").dnsNames("www.example.com")
                .issuerRef(IssuerRef.clusterIssuer("ca")).build();

        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(Csr.create(certificate, pair));

        assertThat(csr.getSignatureAlgorithm().getAlgorithm()).isEqualTo(X9ObjectIdentifiers.ecdsa_with_SHA256);
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(pair.getPublic()))).isTrue();
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(KeyPairs.generate(PrivateKeySpec.ecdsa(256)).getPublic()))).isFalse();
    }

    @Test
    void aProviderTheUserPutAheadOfSunEcMakesTheP256KeysAsBefore() {
        assertThat(P256.standsInForJdk()).as("a JDK with SunEC preferred").isTrue();
        java.security.Provider preferred = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        java.security.Security.insertProviderAt(preferred, 1); // as a FIPS or HSM provider is installed
        try {
            assertThat(P256.standsInForJdk()).isFalse();
            KeyPair pair = KeyPairs.generate(PrivateKeySpec.ecdsa(256));
            assertThat(pair.getPrivate().getClass().getName()).startsWith("org.bouncycastle.jcajce.provider");
        } finally {
            java.security.Security.removeProvider(preferred.getName());
        }
        assertThat(P256.standsInForJdk()).isTrue();
    }
}
