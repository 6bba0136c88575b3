package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.Certificate;
import dev.autocert4j.store.JksKeystore;
import dev.autocert4j.store.KeystorePassword;
import dev.autocert4j.store.Pkcs12Keystore;
import dev.autocert4j.store.StoreException;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Which keystores a certificate Secret gets: the certificate's own {@code keystores.pkcs12} and
 * {@code keystores.jks} where it sets them (also {@code create: false}), else the store's defaults; and
 * their passwords, from a Secret of the certificate's namespace or literal. Immutable and thread-safe.
 */
public final class KeystoreSettings {
    /** Our annotation recording how the Secret's keystores were made (format, profile, alias). */
    static final String MADE = dev.autocert4j.store.k8s.KubernetesSecretStore.PREFIX + "keystores";
    private final KeystorePasswords passwords;
    private final Pkcs12Keystore defaultPkcs12;
    private final JksKeystore defaultJks;

    /**
     * @param passwords reads password Secrets
     * @param defaultPkcs12 the store's PKCS#12 keystore, or null for none
     * @param defaultJks the store's JKS keystore, or null for none
     */
    public KeystoreSettings(KeystorePasswords passwords, Pkcs12Keystore defaultPkcs12, JksKeystore defaultJks) {
        this.passwords = passwords;
        this.defaultPkcs12 = defaultPkcs12 == null ? Pkcs12Keystore.disabled() : defaultPkcs12;
        this.defaultJks = defaultJks == null ? JksKeystore.disabled() : defaultJks;
    }

    /**
     * Builds the keystore entries of a certificate Secret; reads every password first, so that a missing
     * one fails before anything is built or written.
     *
     * @param certificate the certificate, with its own keystores
     * @param bundle its {@code tls.crt} and {@code ca.crt}
     * @param key its private key
     * @return base64 data entries; none when no keystore is asked for
     * @throws StoreException when a password cannot be read or a keystore not built
     */
    public Map<String, String> encode(Certificate certificate, CaBundle bundle, PrivateKey key) throws StoreException {
        Pkcs12Keystore pkcs12 = pkcs12(certificate);
        JksKeystore jks = jks(certificate);
        String id = certificate.namespace() + "/" + certificate.secretName();
        char[] pkcs12Password = read(certificate, pkcs12.password(), id);
        char[] jksPassword;
        try {
            jksPassword = read(certificate, jks.password(), id);
        } catch (StoreException e) {
            if (pkcs12Password != null) {
                Arrays.fill(pkcs12Password, '\0');
            }
            throw e;
        }
        // Clears both passwords.
        return Keystores.encode(bundle, key, pkcs12.profile(), pkcs12Password, jks.alias(), jksPassword);
    }

    /**
     * Records, in the Secret's annotations about to be written, which keystores it gets and how they are
     * made (format, profile, alias; never the password), so that a later change of the spec is noticed.
     *
     * @param annotations the annotations to write; the record is set, or removed when no keystore is made
     * @param certificate the certificate
     */
    public void record(Map<String, String> annotations, Certificate certificate) {
        String made = made(certificate);
        if (made.isEmpty()) {
            annotations.remove(MADE);
        } else {
            annotations.put(MADE, made);
        }
    }

    /**
     * Whether a Secret's keystores are the ones the certificate asks for now, as cert-manager's
     * {@code SecretKeystoreFormatMismatch} ({@code internal/controller/certificates/policies/checks.go}) checks
     * them (each asked-for keystore present, its truststore too when {@code ca.crt} is there, no other), and
     * further: made with the profile and alias asked for, and opening with the password the certificate names
     * now (cert-manager does not notice a changed password until the next issuance).
     *
     * @param certificate the certificate
     * @param data the Secret's data as read
     * @param annotations the Secret's annotations as read
     * @return whether nothing needs to be re-made
     * @throws StoreException when a password cannot be read
     */
    public boolean isCurrent(Certificate certificate, Map<String, String> data, Map<String, String> annotations)
            throws StoreException {
        Pkcs12Keystore pkcs12 = pkcs12(certificate);
        JksKeystore jks = jks(certificate);
        boolean ca = data.containsKey(SecretCodec.CA_CRT);
        java.util.Set<String> expected = new java.util.TreeSet<>();
        if (pkcs12.create()) {
            expected.add(Keystores.PKCS12_KEYSTORE);
            if (ca) {
                expected.add(Keystores.PKCS12_TRUSTSTORE);
            }
        }
        if (jks.create()) {
            expected.add(Keystores.JKS_KEYSTORE);
            if (ca) {
                expected.add(Keystores.JKS_TRUSTSTORE);
            }
        }
        java.util.Set<String> present = new java.util.TreeSet<>(data.keySet());
        present.retainAll(Keystores.KEYS);
        if (!present.equals(expected)) {
            return false;
        }
        if (expected.isEmpty()) {
            return true;
        }
        if (!made(certificate).equals(annotations.getOrDefault(MADE, ""))) {
            return false;
        }
        String id = certificate.namespace() + "/" + certificate.secretName();
        return (!pkcs12.create() || opens(certificate, pkcs12.password(), id, data, Keystores.PKCS12_KEYSTORE, true))
                && (!jks.create() || opens(certificate, jks.password(), id, data, Keystores.JKS_KEYSTORE, false));
    }

    private boolean opens(Certificate certificate, Optional<KeystorePassword> password, String id, Map<String, String> data,
            String key, boolean pkcs12) throws StoreException {
        char[] chars = read(certificate, password, id);
        if (chars == null) {
            return true; // no password, no keystore made: nothing to compare
        }
        try {
            return pkcs12 ? KeystoreFiles.pkcs12OpensWith(data.get(key), chars) : KeystoreFiles.jksOpensWith(data.get(key), chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** @return e.g. {@code pkcs12=LegacyRC2,jks=certificate}; empty when no keystore is made */
    private String made(Certificate certificate) {
        Pkcs12Keystore pkcs12 = pkcs12(certificate);
        JksKeystore jks = jks(certificate);
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (pkcs12.create()) {
            parts.add("pkcs12=" + pkcs12.profile().manifestName());
        }
        if (jks.create()) {
            parts.add("jks=" + jks.alias());
        }
        return String.join(",", parts);
    }

    /**
     * Checks, before an order, that each password Secret the certificate's keystores need exists and holds
     * a password (cleared at once).
     *
     * @param certificate the certificate about to be ordered
     * @throws StoreException naming the missing Secret or key
     */
    public void check(Certificate certificate) throws StoreException {
        for (Optional<KeystorePassword> password : Arrays.asList(pkcs12(certificate).password(), jks(certificate).password())) {
            if (password.isPresent() && password.get().secretName().isPresent()) {
                passwords.check(certificate.namespace(), password.get().secretName().get(), password.get().secretKey().orElseThrow());
            }
        }
    }

    private char[] read(Certificate certificate, Optional<KeystorePassword> password, String id) throws StoreException {
        return password.isEmpty() ? null : passwords.read(certificate.namespace(), password.get(), id);
    }

    private Pkcs12Keystore pkcs12(Certificate certificate) {
        return certificate.keystores().pkcs12().orElse(defaultPkcs12);
    }

    private JksKeystore jks(Certificate certificate) {
        return certificate.keystores().jks().orElse(defaultJks);
    }

    /** @return the store's defaults, without passwords */
    @Override
    public String toString() {
        return (defaultPkcs12.create() ? ", default " + defaultPkcs12 : "") + (defaultJks.create() ? ", default " + defaultJks : "");
    }
}
