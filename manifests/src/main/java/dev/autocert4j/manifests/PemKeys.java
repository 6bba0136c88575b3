package dev.autocert4j.manifests;

import dev.autocert4j.store.Pem;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** The CA Secret's {@code tls.crt} and {@code tls.key}, read with core's {@link Pem}; messages never contain key material. */
final class PemKeys {
    private PemKeys() {
    }

    static List<X509Certificate> certificates(String pem) {
        try {
            return Pem.decodeChain(pem);
        } catch (Pem.InvalidPemException e) {
            throw new IllegalArgumentException("tls.crt is not a PEM certificate chain: " + e.getMessage());
        }
    }

    /**
     * @param certificate the CA certificate, whose key the private key must be
     * @return the certificate's public key with the private key read from {@code pem}
     */
    static KeyPair keyPair(String pem, X509Certificate certificate) {
        KeyPair read;
        try {
            read = Pem.decodeKeyPair(pem);
        } catch (Pem.InvalidPemException e) {
            throw new IllegalArgumentException("tls.key is not a PEM private key (PKCS#1, SEC 1 or PKCS#8): " + e.getMessage());
        }
        if (!Pem.keyMatches(read.getPrivate(), certificate)) {
            throw new IllegalArgumentException("tls.key does not belong to the certificate in tls.crt");
        }
        PublicKey publicKey = certificate.getPublicKey();
        return new KeyPair(publicKey, read.getPrivate());
    }
}
