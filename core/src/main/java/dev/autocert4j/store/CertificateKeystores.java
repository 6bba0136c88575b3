package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * cert-manager's {@code spec.keystores} of one certificate. A format left unset here takes the Secret
 * store's own default (for example {@code KubernetesSecretStore.Builder.pkcs12Keystore}); one set here,
 * also as {@code create: false}, overrides it. Stores without keystores ignore it. Immutable and
 * thread-safe.
 */
public final class CertificateKeystores {
    /** No keystores of the certificate's own: the store's defaults apply. */
    public static final CertificateKeystores NONE = new CertificateKeystores(null, null);

    private final Pkcs12Keystore pkcs12;
    private final JksKeystore jks;

    private CertificateKeystores(Pkcs12Keystore pkcs12, JksKeystore jks) {
        this.pkcs12 = pkcs12;
        this.jks = jks;
    }

    /**
     * @param pkcs12 the certificate's {@code keystores.pkcs12}
     * @return a copy with it
     */
    public CertificateKeystores withPkcs12(Pkcs12Keystore pkcs12) {
        return new CertificateKeystores(requireNonNull(pkcs12, "pkcs12"), jks);
    }

    /**
     * @param jks the certificate's {@code keystores.jks}
     * @return a copy with it
     */
    public CertificateKeystores withJks(JksKeystore jks) {
        return new CertificateKeystores(pkcs12, requireNonNull(jks, "jks"));
    }

    /** @return the certificate's {@code keystores.pkcs12}, or empty for the store's default */
    public Optional<Pkcs12Keystore> pkcs12() {
        return Optional.ofNullable(pkcs12);
    }

    /** @return the certificate's {@code keystores.jks}, or empty for the store's default */
    public Optional<JksKeystore> jks() {
        return Optional.ofNullable(jks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateKeystores k && Objects.equals(pkcs12, k.pkcs12) && Objects.equals(jks, k.jks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pkcs12, jks);
    }

    @Override
    public String toString() {
        return "keystores[" + (pkcs12 == null ? "" : pkcs12) + (pkcs12 != null && jks != null ? ", " : "")
                + (jks == null ? "" : jks) + "]";
    }
}
