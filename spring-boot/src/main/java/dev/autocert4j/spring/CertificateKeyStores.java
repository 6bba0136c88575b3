package dev.autocert4j.spring;

import dev.autocert4j.store.StoredCertificate;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * Builds SSL bundles from a stored certificate. A bundle carries both forms a server may use: an in-memory
 * PKCS#12 key store with the certificate (Tomcat and Jetty build their SSL context from it, so a renewal is a
 * bundle update), and a key manager factory over the manager's live key manager (servers that take the
 * managers get renewals without any update).
 */
final class CertificateKeyStores {
    /** The alias of the key entry in each bundle's key store. */
    static final String ALIAS = "autocert4j";

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateKeyStores() {
    }

    static SslBundle bundle(StoredCertificate stored, X509ExtendedKeyManager liveKeyManager) {
        return bundle(stored.keyPair().getPrivate(), stored.chain(), liveKeyManager);
    }

    /**
     * A bundle of a placeholder: the live key manager has nothing for a certificate that was never issued, so
     * servers that take the managers get a key manager over the placeholder's own key store.
     */
    static SslBundle placeholderBundle(PlaceholderCertificates.Placeholder placeholder) {
        return bundle(placeholder.keyPair().getPrivate(), List.of(placeholder.certificate()), null);
    }

    /** @param liveKeyManager the manager's key manager, or null for one over the bundle's own key store */
    private static SslBundle bundle(PrivateKey key, List<X509Certificate> chain, X509ExtendedKeyManager liveKeyManager) {
        // The key store lives only in memory; its password only keeps the key entry encrypted there.
        String password = randomPassword();
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(X509Certificate[]::new));
            SslStoreBundle stores = SslStoreBundle.of(keyStore, password, null);
            KeyManagerFactory keys = liveKeyManager == null
                    ? ownKeyManagers(keyStore, password) : keyManagerFactory(liveKeyManager);
            SslManagerBundle managers = SslManagerBundle.of(keys, defaultTrust());
            return SslBundle.of(stores, SslBundleKey.of(password, ALIAS), SslOptions.NONE, SslBundle.DEFAULT_PROTOCOL, managers);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot put the certificate into a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory ownKeyManagers(KeyStore keyStore, String password) throws GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore, password.toCharArray());
        return factory;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static TrustManagerFactory defaultTrust() throws NoSuchAlgorithmException, KeyStoreException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((KeyStore) null);
        return trust;
    }

    private static KeyManagerFactory keyManagerFactory(X509ExtendedKeyManager keyManager) {
        return new FixedKeyManagerFactory(keyManager);
    }

    /** A key manager factory that hands out one given key manager; init does nothing. */
    private static final class FixedKeyManagerFactory extends KeyManagerFactory {
        FixedKeyManagerFactory(X509ExtendedKeyManager keyManager) {
            super(new FixedSpi(keyManager), new Provider("autocert4j", "1.0", "the certificate manager's key manager") {
                private static final long serialVersionUID = 1L;
            }, "autocert4j");
        }
    }

    private static final class FixedSpi extends KeyManagerFactorySpi {
        private final KeyManager[] keyManagers;

        FixedSpi(X509ExtendedKeyManager keyManager) {
            this.keyManagers = new KeyManager[] {keyManager};
        }

        @Override
        protected void engineInit(KeyStore keyStore, char[] password) {
            // the key manager is given, not built from a key store
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) {
            // the key manager is given, not built from parameters
        }

        @Override
        protected KeyManager[] engineGetKeyManagers() {
            return keyManagers.clone();
        }
    }
}
