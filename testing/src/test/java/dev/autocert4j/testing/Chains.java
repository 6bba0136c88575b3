package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.store.StoredCertificate;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Assertions on issued chains, shared by the integration tests. */
final class Chains {
    private Chains() {
    }

    /** The chain verifies up to the given root with the JDK's PKIX validator. */
    static void assertChainsUpTo(List<X509Certificate> chain, X509Certificate root) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(chain), params);
    }

    /** The leaf's subjectAltNames, as strings (DNS names and IP addresses). */
    static List<String> sans(X509Certificate leaf) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
            out.add(String.valueOf(san.get(1)));
        }
        return out;
    }

    /** The stored private key signs what the leaf's public key verifies. */
    static void assertKeyMatchesLeaf(StoredCertificate stored) throws Exception {
        String alg = switch (stored.leaf().getPublicKey().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
        byte[] data = "autocert4j".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(alg);
        signer.initSign(stored.keyPair().getPrivate());
        signer.update(data);
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance(alg);
        verifier.initVerify(stored.leaf().getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(sig)).as("stored key matches the leaf").isTrue();
    }
}
