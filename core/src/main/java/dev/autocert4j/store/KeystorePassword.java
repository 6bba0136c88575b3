package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a keystore's password comes from, as cert-manager's {@code passwordSecretRef} or literal
 * {@code password}. A literal password never appears in {@link #toString()} or a message. Immutable
 * and thread-safe.
 */
public final class KeystorePassword {
    private static final Pattern SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    private final String secretName;
    private final String secretKey;
    private final char[] literal;

    private KeystorePassword(String secretName, String secretKey, char[] literal) {
        this.secretName = secretName;
        this.secretKey = secretKey;
        this.literal = literal;
    }

    /**
     * @param secretName a Secret in the certificate's namespace, a DNS-1123 subdomain
     * @param key the data key of the password in that Secret
     * @return a password read from the Secret whenever a keystore is written
     * @throws IllegalArgumentException when the name is no valid Secret name or the key no valid data key
     */
    public static KeystorePassword fromSecret(String secretName, String key) {
        requireNonNull(secretName, "secretName");
        requireNonNull(key, "key");
        if (secretName.length() > 253 || !SUBDOMAIN.matcher(secretName).matches()) {
            throw new IllegalArgumentException("passwordSecretRef.name must be a DNS-1123 subdomain (lower-case letters, "
                    + "digits, '-' and '.', at most 253 characters), got '" + secretName + "'");
        }
        if (key.length() > 253 || !DATA_KEY.matcher(key).matches() || key.equals(".") || key.equals("..")) {
            throw new IllegalArgumentException("passwordSecretRef.key must consist of letters, digits, '-', '_' and '.', "
                    + "at most 253 characters, got '" + key + "'");
        }
        return new KeystorePassword(secretName, key, null);
    }

    /**
     * @param password the password itself, as cert-manager's literal {@code password}; kept as a copy
     * @return a literal password
     * @throws IllegalArgumentException when the password is empty
     */
    public static KeystorePassword literal(char[] password) {
        requireNonNull(password, "password");
        if (password.length == 0) {
            throw new IllegalArgumentException("a literal keystore password must not be empty: set one, or use passwordSecretRef");
        }
        return new KeystorePassword(null, null, password.clone());
    }

    /** @return the Secret holding the password, or empty for a literal password */
    public Optional<String> secretName() {
        return Optional.ofNullable(secretName);
    }

    /** @return the data key of the password in {@link #secretName()}, or empty for a literal password */
    public Optional<String> secretKey() {
        return Optional.ofNullable(secretKey);
    }

    /** @return a copy of the literal password, which the caller clears; empty when it comes from a Secret */
    public Optional<char[]> literalCopy() {
        return literal == null ? Optional.empty() : Optional.of(literal.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeystorePassword p && Objects.equals(secretName, p.secretName)
                && Objects.equals(secretKey, p.secretKey) && Arrays.equals(literal, p.literal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(secretName, secretKey, Arrays.hashCode(literal));
    }

    /** @return the Secret and key, or that the password is literal; never the password */
    @Override
    public String toString() {
        return literal == null ? "passwordSecretRef " + secretName + "[" + secretKey + "]" : "literal password (hidden)";
    }
}
