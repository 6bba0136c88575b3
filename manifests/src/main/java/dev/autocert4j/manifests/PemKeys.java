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

    /** @param certificateKey the public key used when the PEM holds only the private key (PKCS#8) */
    static KeyPair keyPair(String pem, java.security.PublicKey certificateKey) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                return converter.getKeyPair(kp);
            }
            if (o instanceof PrivateKeyInfo info) {
                java.security.PrivateKey key = converter.getPrivateKey(info);
                return new KeyPair(certificateKey, key);
            }
        } catch (IOException | RuntimeException e) {
            // fall through: the key itself must not reach the message
        }
        throw new IllegalArgumentException("tls.key is not a PEM private key (PKCS#1, SEC 1 or PKCS#8)");
    }
}
