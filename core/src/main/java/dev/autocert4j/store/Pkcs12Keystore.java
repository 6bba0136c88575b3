package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * cert-manager's {@code keystores.pkcs12} of one certificate: whether a Secret store writes
 * {@code keystore.p12} (and {@code truststore.p12} when the CA is known), with which password and
 * {@link Pkcs12Profile}. Immutable and thread-safe.
 */
public final class Pkcs12Keystore {
    private static final Pkcs12Keystore DISABLED = new Pkcs12Keystore(null, Pkcs12Profile.LEGACY_RC2);

    private final KeystorePassword password;
    private final Pkcs12Profile profile;

    private Pkcs12Keystore(KeystorePassword password, Pkcs12Profile profile) {
        this.password = password;
        this.profile = profile;
    }

    /**
     * @param password the keystore's password
     * @return {@code create: true} with cert-manager's default profile {@link Pkcs12Profile#LEGACY_RC2}
     */
    public static Pkcs12Keystore create(KeystorePassword password) {
        return new Pkcs12Keystore(requireNonNull(password, "password"), Pkcs12Profile.LEGACY_RC2);
    }

    /** @return {@code create: false}: no PKCS#12 keystore for this certificate, whatever the store's default */
    public static Pkcs12Keystore disabled() {
        return DISABLED;
    }

    /**
     * @param profile the ciphers and MAC to use
     * @return a copy with that profile
     */
    public Pkcs12Keystore withProfile(Pkcs12Profile profile) {
        return new Pkcs12Keystore(password, requireNonNull(profile, "profile"));
    }

    /** @return whether the keystore is written ({@code create}) */
    public boolean create() {
        return password != null;
    }

    /** @return the password, or empty when {@link #create()} is false */
    public Optional<KeystorePassword> password() {
        return Optional.ofNullable(password);
    }

    /** @return the profile; {@link Pkcs12Profile#LEGACY_RC2} unless set */
    public Pkcs12Profile profile() {
        return profile;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pkcs12Keystore k && Objects.equals(password, k.password) && profile == k.profile;
    }

    @Override
    public int hashCode() {
        return Objects.hash(password, profile);
    }

    @Override
    public String toString() {
        return create() ? "pkcs12[" + password + ", profile " + profile.manifestName() + "]" : "pkcs12[create: false]";
    }
}
