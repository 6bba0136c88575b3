package dev.autocert4j.manifests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM of a CA Secret ({@code tls.crt}, {@code tls.key}); messages never contain key material. */
final class PemKeys {
    private PemKeys() {
    }

    static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("tls.crt holds no certificate");
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("tls.crt is not a PEM certificate chain", null);
        }
    }

    /** @param certificateKey the CA certificate's public key, which the private key must match */
    /** PKCS#8 holds no public key: a test signature shows whether the private key is the certificate's. */
    private static boolean belongTogether(java.security.PublicKey publicKey, java.security.PrivateKey privateKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
        try {
            byte[] probe = "autocert4j key check".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    static KeyPair keyPair(String pem, java.security.PublicKey certificateKey) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKeyInfo info = o instanceof PEMKeyPair kp ? kp.getPrivateKeyInfo() : o instanceof PrivateKeyInfo p ? p : null;
            if (info != null) {
                // SEC 1 may lack the public key and PKCS#8 has none: the certificate's, if the private key matches it
                java.security.PrivateKey key = converter.getPrivateKey(info);
                if (!belongTogether(certificateKey, key)) {
                    throw new IllegalArgumentException("tls.key does not belong to the certificate in tls.crt");
                }
                return new KeyPair(certificateKey, key);
            }
        } catch (IllegalArgumentException e) {
            throw e; // ours, without key material
        } catch (IOException | RuntimeException e) {
            // fall through: the key itself must not reach the message
        }
        throw new IllegalArgumentException("tls.key is not a PEM private key (PKCS#1, SEC 1 or PKCS#8)");
    }
}
