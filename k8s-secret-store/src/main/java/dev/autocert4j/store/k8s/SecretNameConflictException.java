package dev.autocert4j.store.k8s;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.store.StoreException;

/**
 * The certificate's Secret belongs to another certificate: its
 * {@code cert-manager.io/certificate-name} names a different certificate of the same namespace.
 * Two certificates that share one {@code secretName} would overwrite each other on every renewal,
 * so the store refuses to read or write the Secret for the second. Give each certificate its own
 * {@code secretName}. Not retryable.
 */
public final class SecretNameConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String secret;
    private final String owner;
    private final String refused;

    /**
     * @param secret the Secret, as {@code namespace/name}
     * @param owner the certificate the Secret belongs to, as {@code namespace/name}
     * @param refused the certificate that was refused, as {@code namespace/name}
     */
    public SecretNameConflictException(String secret, String owner, String refused) {
        super("Secret " + requireNonNull(secret, "secret") + " belongs to certificate " + requireNonNull(owner, "owner")
                + " (annotation cert-manager.io/certificate-name), but certificate " + requireNonNull(refused, "refused")
                + " names the same secretName; refusing to overwrite it: give each certificate its own secretName",
                false, null);
        this.secret = secret;
        this.owner = owner;
        this.refused = refused;
    }

    /** @return the Secret both certificates name, as {@code namespace/name} */
    public String secret() {
        return secret;
    }

    /** @return the certificate the Secret belongs to, as {@code namespace/name} */
    public String owner() {
        return owner;
    }

    /** @return the certificate whose read or write was refused, as {@code namespace/name} */
    public String refused() {
        return refused;
    }
}
