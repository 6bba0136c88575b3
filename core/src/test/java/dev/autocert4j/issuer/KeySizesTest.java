package dev.autocert4j.issuer;

import static dev.autocert4j.issuer.IssuerTestSupport.NOW;
import static dev.autocert4j.issuer.IssuerTestSupport.context;
import static dev.autocert4j.issuer.IssuerTestSupport.leaf;
import static dev.autocert4j.issuer.IssuerTestSupport.request;
import static dev.autocert4j.issuer.IssuerTestSupport.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.KeyAlgorithm;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.RotationPolicy;
import dev.autocert4j.internal.x509.Csr;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key sizes cert-manager's {@code pkg/util/pki} generates (RSA 2048 to 8192 bits, ECDSA P-256,
 * P-384 and P-521), issued by the SelfSigned and CA issuers and signed with the digest cert-manager
 * picks for the signing key ({@code signatureAlgorithmFromPublicKey}).
 */
class KeySizesTest {
    private final SelfSignedIssuer selfSigned = SelfSignedIssuer.builder("selfsigned").build();

    @Test
    void aSelfSignedP521CertificateIsSignedWithSha512() throws Exception {
        Certificate spec = leaf("selfsigned").privateKey(PrivateKeySpec.ecdsa(521)).build();
        IssuanceRequest request = request(spec);

        X509Certificate cert = selfSigned.issue(request, context(NOW)).get(0);

        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(521);
        assertThat(cert.getSigAlgName()).isEqualTo("SHA512withECDSA");
        cert.verify(request.keyPair().getPublic());
    }

    /** The README's digest rule ("What maps to what"), below SHA-512: SHA-384 and SHA-256, for certificates and CSRs. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"RSA 2048, SHA256withRSA", "RSA 3072, SHA384withRSA",
            "ECDSA 256, SHA256withECDSA", "ECDSA 384, SHA384withECDSA"})
    void certificatesAndCsrsBelowSha512AreSignedWithTheReadmesDigest(String key, String algorithm) throws Exception {
        assertThat(dev.autocert4j.testing.support.ReadmeFigures.text())
                .contains("SHA-384 for RSA from 3072 bits and P-384, else SHA-256");
        String[] kind = key.split(" ");
        int size = Integer.parseInt(kind[1]);
        PrivateKeySpec keySpec = kind[0].equals("RSA") ? PrivateKeySpec.rsa(size) : PrivateKeySpec.ecdsa(size);
        IssuanceRequest request = request(leaf("selfsigned").privateKey(keySpec).build());

        X509Certificate cert = selfSigned.issue(request, context(NOW)).get(0);
        String csrAlgorithm = new org.bouncycastle.operator.DefaultAlgorithmNameFinder().getAlgorithmName(
                new org.bouncycastle.pkcs.PKCS10CertificationRequest(request.csr()).getSignatureAlgorithm());

        assertThat(cert.getSigAlgName()).isEqualTo(algorithm);
        assertThat(csrAlgorithm).isEqualToIgnoringCase(algorithm);
        cert.verify(request.keyPair().getPublic());
    }

    /**
     * An 8192-bit key made once with {@code openssl genrsa 8192} for this test (a test key, protecting
     * nothing): generating one takes the JDK from seconds to minutes on a loaded build machine.
     */
    private static KeyPair rsa8192() throws Exception {
        try (InputStream in = KeySizesTest.class.getResourceAsStream("/keys/rsa8192-test-only.pem")) {
            return Pem.decodeKeyPair(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aSelfSignedRsa8192CertificateIsSignedWithSha512() throws Exception {
        Certificate spec = leaf("selfsigned").privateKey(PrivateKeySpec.rsa(8192)).build();
        KeyPair key = rsa8192();
        IssuanceRequest request = new IssuanceRequest(spec, key, Csr.create(spec, key));

        X509Certificate cert = selfSigned.issue(request, context(NOW)).get(0);

        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(8192);
        assertThat(cert.getSigAlgName()).isEqualTo("SHA512withRSA");
    }

    @Test
    void aP521CaSignsAnRsaLeafThatChainsToIt() throws Exception {
        Certificate rootSpec = IssuerTestSupport.ca("selfsigned").privateKey(PrivateKeySpec.ecdsa(521)).duration(Duration.ofDays(365)).build();
        IssuanceRequest rootRequest = request(rootSpec);
        StoredCertificate root = new StoredCertificate(selfSigned.issue(rootRequest, context(NOW.minus(Duration.ofDays(1)))),
                rootRequest.keyPair(), new CertificateMetadata(rootSpec.specFingerprint(), "selfsigned", 1, NOW));
        IssuanceRequest leafRequest = request(leaf("ca").privateKey(PrivateKeySpec.rsa(2048)).build());

        List<X509Certificate> chain = CaIssuer.builder("ca").signingKey(root).build().issue(leafRequest, context(NOW));

        assertThat(chain.get(0).getSigAlgName()).as("signed by the P-521 CA key").isEqualTo("SHA512withECDSA");
        assertThat(((RSAPublicKey) chain.get(0).getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        validate(List.of(chain.get(0)), root.leaf(), NOW);
    }

    @ParameterizedTest
    @ValueSource(ints = {2048, 3000, 4096, 6144, 8192})
    void everyRsaSizeFrom2048To8192IsAccepted(int bits) {
        assertThat(new PrivateKeySpec(KeyAlgorithm.RSA, bits, KeyEncoding.PKCS1, RotationPolicy.ALWAYS).size()).isEqualTo(bits);
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 2047, 8193, 16384})
    void rsaSizesOutside2048To8192AreRefusedSayingTheRange(int bits) {
        assertThatThrownBy(() -> PrivateKeySpec.rsa(bits)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use 2048 to 8192 bits");
    }

    @Test
    void anEcdsaCurveOtherThanP256P384OrP521IsRefused() {
        assertThatThrownBy(() -> PrivateKeySpec.ecdsa(512)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use 256 (P-256), 384 (P-384) or 521 (P-521)");
    }
}
