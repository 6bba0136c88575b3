package dev.autocert4j.store.k8s;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.store.KeystorePassword;
import java.util.regex.Pattern;

/**
 * One key of a Secret in the certificate's namespace, as cert-manager's {@code SecretKeySelector}
 * (for example {@code keystores.pkcs12.passwordSecretRef}). Only names the Secret; never holds
 * its value.
 *
 * @param name the Secret's name, a DNS-1123 subdomain
 * @param key the key inside the Secret's data (letters, digits, {@code -}, {@code _}, {@code .})
 */
public record SecretKeyRef(String name, String key) {
    private static final Pattern SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    /**
     * Validates the reference.
     *
     * @param name the Secret's name, a DNS-1123 subdomain
     * @param key the key inside the Secret's data
     * @throws IllegalArgumentException when the name is no valid Secret name or the key no valid data key
     */
    public SecretKeyRef {
        requireNonNull(name, "name");
        requireNonNull(key, "key");
        if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("Secret name must be a DNS-1123 subdomain (lower-case letters, digits, '-' "
                    + "and '.', at most 253 characters), got '" + name + "'");
        }
        if (key.length() > 253 || !DATA_KEY.matcher(key).matches() || key.equals(".") || key.equals("..")) {
            throw new IllegalArgumentException("Secret data key must consist of letters, digits, '-', '_' and '.', "
                    + "at most 253 characters, got '" + key + "'");
        }
    }

    /** @return the same Secret key as the core's {@link KeystorePassword}, which the certificate's own keystores use */
    KeystorePassword toKeystorePassword() {
        return KeystorePassword.fromSecret(name, key);
    }

    @Override
    public String toString() {
        return name + "[" + key + "]";
    }
}
