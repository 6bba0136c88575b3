package dev.autocert4j.store.k8s;

import dev.autocert4j.store.StoreException;

/**
 * A Secret with the certificate's {@code secretName} exists, but neither autocert4j nor
 * cert-manager made it; the store refuses to read or overwrite it. Rename the certificate's
 * {@code secretName} or delete the Secret.
 */
public final class ForeignSecretException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** @param namespaceAndName the Secret, as {@code namespace/name} */
    public ForeignSecretException(String namespaceAndName) {
        super("Secret " + namespaceAndName + " was made neither by autocert4j nor by cert-manager;"
                + " refusing to touch it (choose another secretName or delete the Secret)", false, null);
    }
}
