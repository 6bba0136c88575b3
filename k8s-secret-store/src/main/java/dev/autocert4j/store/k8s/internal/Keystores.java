package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keystore entries cert-manager writes into a certificate Secret: {@code keystore.p12} and
 * {@code keystore.jks} with the key and chain under alias {@code certificate} (the JKS one also
 * with the CA under {@code ca}), {@code truststore.p12} and {@code truststore.jks} with the CA
 * under {@code ca}, written only when the CA is known. Stateless.
 */
public final class Keystores {
    static final String PKCS12_KEYSTORE = "keystore.p12";
    static final String PKCS12_TRUSTSTORE = "truststore.p12";
    static final String JKS_KEYSTORE = "keystore.jks";
    static final String JKS_TRUSTSTORE = "truststore.jks";
    /** Every data key a keystore may occupy. */
    public static final Set<String> KEYS = Set.of(PKCS12_KEYSTORE, PKCS12_TRUSTSTORE, JKS_KEYSTORE, JKS_TRUSTSTORE);
    static final String KEY_ALIAS = "certificate";
    static final String CA_ALIAS = "ca";

    private Keystores() {
    }

    /**
     * @param chain leaf first
     * @param key the leaf's private key
     * @param ca the CA certificate, or null when unknown
     * @param pkcs12Password the PKCS#12 password, or null for no PKCS#12 keystore; cleared afterwards
     * @param jksPassword the JKS password, or null for no JKS keystore; cleared afterwards
     * @return base64 Secret data entries
     * @throws StoreException when the JVM cannot build the keystore (e.g. it lacks the key's algorithm)
     */
    public static Map<String, String> encode(List<X509Certificate> chain, PrivateKey key, X509Certificate ca,
            char[] pkcs12Password, char[] jksPassword) throws StoreException {
        Map<String, String> data = new LinkedHashMap<>();
        Certificate[] certificates = chain.toArray(new Certificate[0]);
        try {
            if (pkcs12Password != null) {
                KeyStore keystore = empty("PKCS12");
                keystore.setKeyEntry(KEY_ALIAS, key, pkcs12Password, certificates);
                data.put(PKCS12_KEYSTORE, store(keystore, pkcs12Password));
                if (ca != null) {
                    KeyStore truststore = empty("PKCS12");
                    truststore.setCertificateEntry(CA_ALIAS, ca);
                    data.put(PKCS12_TRUSTSTORE, store(truststore, pkcs12Password));
                }
            }
            if (jksPassword != null) {
                KeyStore keystore = empty("JKS");
                keystore.setKeyEntry(KEY_ALIAS, key, jksPassword, certificates);
                if (ca != null) {
                    keystore.setCertificateEntry(CA_ALIAS, ca);
                }
                data.put(JKS_KEYSTORE, store(keystore, jksPassword));
                if (ca != null) {
                    KeyStore truststore = empty("JKS");
                    truststore.setCertificateEntry(CA_ALIAS, ca);
                    data.put(JKS_TRUSTSTORE, store(truststore, jksPassword));
                }
            }
            return data;
        } catch (GeneralSecurityException | IOException e) {
            // Only the exception's type: a keystore failure message could quote key material.
            throw new StoreException("cannot build a keystore for " + chain.get(0).getSubjectX500Principal() + ": "
                    + e.getClass().getName(), false, null);
        } finally {
            if (pkcs12Password != null) {
                Arrays.fill(pkcs12Password, '\0');
            }
            if (jksPassword != null) {
                Arrays.fill(jksPassword, '\0');
            }
        }
    }

    private static KeyStore empty(String type) throws GeneralSecurityException, IOException {
        KeyStore keystore = KeyStore.getInstance(type);
        keystore.load(null, null);
        return keystore;
    }

    private static String store(KeyStore keystore, char[] password) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        keystore.store(out, password);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
