package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.Pkcs12Profile;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The keystore entries cert-manager writes into a certificate Secret
 * ({@code pkg/controller/certificates/issuing/internal/keystore.go}): {@code keystore.p12} as go-pkcs12
 * lays it out ({@link Pkcs12Files}), {@code truststore.p12} with {@code ca.crt}; {@code keystore.jks} with
 * the key and chain under the alias asked for (key password = store password) and {@code ca.crt} as
 * trusted entry {@code ca}, {@code truststore.jks} with {@code ca.crt} as {@code ca}. The truststores
 * only when {@code ca.crt} is known. Stateless.
 */
public final class Keystores {
    static final String PKCS12_KEYSTORE = "keystore.p12";
    static final String PKCS12_TRUSTSTORE = "truststore.p12";
    static final String JKS_KEYSTORE = "keystore.jks";
    static final String JKS_TRUSTSTORE = "truststore.jks";
    /** Every data key a keystore may occupy. */
    public static final Set<String> KEYS = Set.of(PKCS12_KEYSTORE, PKCS12_TRUSTSTORE, JKS_KEYSTORE, JKS_TRUSTSTORE);
    /** cert-manager's alias of the first CA in a JKS file; further ones are {@code ca-1}, {@code ca-2}, ... */
    static final String CA_ALIAS = "ca";

    private Keystores() {
    }

    /**
     * @param bundle the Secret's {@code tls.crt} chain and {@code ca.crt}
     * @param key the leaf's private key
     * @param profile the PKCS#12 ciphers
     * @param pkcs12Password the PKCS#12 password, or null for no PKCS#12 keystore; cleared afterwards
     * @param jksAlias the JKS key entry's alias
     * @param jksPassword the JKS password, or null for no JKS keystore; cleared afterwards
     * @return base64 Secret data entries
     * @throws StoreException when the keystore cannot be built (e.g. the JVM lacks the key's algorithm)
     */
    public static Map<String, String> encode(CaBundle bundle, PrivateKey key, Pkcs12Profile profile, char[] pkcs12Password,
            String jksAlias, char[] jksPassword) throws StoreException {
        Map<String, String> data = new LinkedHashMap<>();
        List<X509Certificate> chain = bundle.tlsCrt();
        List<X509Certificate> cas = bundle.caCrt();
        try {
            if (pkcs12Password != null) {
                data.put(PKCS12_KEYSTORE, base64(Pkcs12Files.keystore(profile, key, chain, cas, pkcs12Password)));
                if (!cas.isEmpty()) {
                    data.put(PKCS12_TRUSTSTORE, base64(Pkcs12Files.truststore(profile, cas, pkcs12Password)));
                }
            }
            if (jksPassword != null) {
                KeyStore keystore = empty("JKS");
                keystore.setKeyEntry(jksAlias, key, jksPassword, chain.toArray(new Certificate[0]));
                addCas(keystore, cas);
                data.put(JKS_KEYSTORE, store(keystore, jksPassword));
                if (!cas.isEmpty()) {
                    KeyStore truststore = empty("JKS");
                    addCas(truststore, cas);
                    data.put(JKS_TRUSTSTORE, store(truststore, jksPassword));
                }
            }
            return data;
        } catch (GeneralSecurityException | IOException | OperatorCreationException | PKCSException e) {
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

    /** As keystore.go's {@code addCAsToJKSStore}: every certificate of {@code ca.crt}, as "ca", "ca-1", "ca-2", ... */
    private static void addCas(KeyStore keystore, List<X509Certificate> cas) throws GeneralSecurityException {
        for (int i = 0; i < cas.size(); i++) {
            keystore.setCertificateEntry(i == 0 ? CA_ALIAS : CA_ALIAS + "-" + i, cas.get(i));
        }
    }

    private static String base64(byte[] file) {
        return Base64.getEncoder().encodeToString(file);
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
