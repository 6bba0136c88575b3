package dev.autocert4j.spring;

import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.store.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Turns {@code autocert4j.issuers.<name>.ca.*} into a {@link CaIssuer}, checking the files at start-up: each
 * mistake (a missing or unreadable file, a key that is not the certificate's, a certificate that is no CA) is an
 * {@link InvalidAutocert4jPropertyException} naming the property. Messages never hold key material.
 */
final class CaIssuerModel {
    /** PEM files of a CA are a few kilobytes; anything far larger is not one. */
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    private CaIssuerModel() {
    }

    /** @return whether the issuer's properties ask for a CA issuer */
    static boolean isSet(CaIssuerProperties ca) {
        return ca.getCertificate() != null || ca.getPrivateKey() != null;
    }

    /**
     * @param name the issuer's name
     * @param prefix its property prefix, {@code autocert4j.issuers.<name>.ca}
     * @param ca its bound properties
     * @return the issuer
     */
    static CaIssuer issuer(String name, String prefix, CaIssuerProperties ca) {
        String certificateProperty = prefix + ".certificate";
        String keyProperty = prefix + ".private-key";
        if (ca.getCertificate() == null || ca.getPrivateKey() == null) {
            String missing = ca.getCertificate() == null ? certificateProperty : keyProperty;
            throw new InvalidAutocert4jPropertyException(missing, "a CA issuer needs both the CA certificate and its private key",
                    "set " + missing + " to a PEM file");
        }
        List<X509Certificate> chain;
        try {
            chain = Pem.decodeChain(read(certificateProperty, ca.getCertificate()));
        } catch (Pem.InvalidPemException e) {
            throw new InvalidAutocert4jPropertyException(certificateProperty, ca.getCertificate() + ": " + e.getMessage(),
                    "name a PEM file of the CA certificate (tls.crt of a CA Secret)");
        }
        KeyPair key;
        try {
            key = Pem.decodeKeyPair(read(keyProperty, ca.getPrivateKey()));
        } catch (Pem.InvalidPemException e) {
            throw new InvalidAutocert4jPropertyException(keyProperty, ca.getPrivateKey() + ": " + e.getMessage(),
                    "name a PEM file of the CA's unencrypted private key (tls.key of a CA Secret)");
        }
        if (!Pem.keyMatches(key.getPrivate(), chain.get(0))) {
            throw new InvalidAutocert4jPropertyException(keyProperty, ca.getPrivateKey() + " is not the private key of the CA certificate "
                    + chain.get(0).getSubjectX500Principal().getName() + " in " + ca.getCertificate(),
                    "name the key that belongs to " + certificateProperty);
        }
        try {
            return CaIssuer.builder(name).signingKey(key, chain).build();
        } catch (IllegalArgumentException e) {
            // the key matches, so what the core refuses is the certificate: no CA:true or no keyCertSign
            throw new InvalidAutocert4jPropertyException(certificateProperty, ca.getCertificate() + ": " + e.getMessage(),
                    "name a CA certificate (basic constraints CA:true, key usage keyCertSign)");
        }
    }

    private static String read(String property, Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidAutocert4jPropertyException(property, file + " does not exist or is not a file",
                        "set " + property + " to the path of a readable PEM file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidAutocert4jPropertyException(property, file + " is larger than " + MAX_FILE_BYTES + " bytes, too large for a PEM file",
                        "set " + property + " to the path of a PEM file");
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidAutocert4jPropertyException(property, "cannot read " + file + ": " + e.getMessage(),
                    "set " + property + " to the path of a readable PEM file");
        }
    }
}
