package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * cert-manager's {@code keystores.jks} of one certificate: whether a Secret store writes
 * {@code keystore.jks} (and {@code truststore.jks} when the CA is known), with which password and key
 * alias. Immutable and thread-safe.
 */
public final class JksKeystore {
    /** cert-manager's alias of the key entry unless {@code alias} is set. */
    public static final String DEFAULT_ALIAS = "certificate";
    private static final JksKeystore DISABLED = new JksKeystore(null, DEFAULT_ALIAS);

    private final KeystorePassword password;
    private final String alias;

    private JksKeystore(KeystorePassword password, String alias) {
        this.password = password;
        this.alias = alias;
    }

    /**
     * @param password the keystore's password, also the key entry's
     * @return {@code create: true} with the key under alias {@value #DEFAULT_ALIAS}
     */
    public static JksKeystore create(KeystorePassword password) {
        return new JksKeystore(requireNonNull(password, "password"), DEFAULT_ALIAS);
    }

    /** @return {@code create: false}: no JKS keystore for this certificate, whatever the store's default */
    public static JksKeystore disabled() {
        return DISABLED;
    }

    /**
     * @param alias the key entry's alias; stored in lower case, as JKS (and cert-manager's keystore-go) stores it
     * @return a copy with that alias
     * @throws IllegalArgumentException when the alias is blank
     */
    public JksKeystore withAlias(String alias) {
        requireNonNull(alias, "alias");
        if (alias.isBlank()) {
            throw new IllegalArgumentException("keystores.jks.alias must not be blank: leave it out for '" + DEFAULT_ALIAS + "'");
        }
        return new JksKeystore(password, alias.toLowerCase(Locale.ROOT));
    }

    /** @return whether the keystore is written ({@code create}) */
    public boolean create() {
        return password != null;
    }

    /** @return the password, or empty when {@link #create()} is false */
    public Optional<KeystorePassword> password() {
        return Optional.ofNullable(password);
    }

    /** @return the key entry's alias, lower case; {@value #DEFAULT_ALIAS} unless set */
    public String alias() {
        return alias;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JksKeystore k && Objects.equals(password, k.password) && alias.equals(k.alias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(password, alias);
    }

    @Override
    public String toString() {
        return create() ? "jks[" + password + ", alias " + alias + "]" : "jks[create: false]";
    }
}
