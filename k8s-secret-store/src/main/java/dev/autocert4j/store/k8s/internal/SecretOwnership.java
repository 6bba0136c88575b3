package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.Certificate;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.k8s.ForeignSecretException;
import dev.autocert4j.store.k8s.SecretNameConflictException;
import java.util.Map;

/** Which certificate a Secret belongs to, before it is read or written for one. Stateless. */
public final class SecretOwnership {
    private SecretOwnership() {
    }

    /**
     * Only a Secret of this certificate may be read or overwritten: one whose
     * {@code cert-manager.io/certificate-name} is the certificate's name, or (without that
     * annotation) one that carries autocert4j's own spec fingerprint.
     *
     * @param certificate the certificate
     * @param annotations the Secret's annotations
     * @param id the Secret as {@code namespace/name}, for messages
     * @throws ForeignSecretException when neither autocert4j nor cert-manager made it
     * @throws SecretNameConflictException when it belongs to another certificate
     */
    public static void requireOwnedBy(Certificate certificate, Map<String, String> annotations, String id)
            throws StoreException {
        if (!SecretCodec.isManaged(annotations)) {
            throw new ForeignSecretException(id);
        }
        String owner = annotations.get(SecretCodec.CERTIFICATE_NAME);
        if (owner != null && !owner.equals(certificate.name())) {
            throw new SecretNameConflictException(id, certificate.namespace() + "/" + owner, certificate.id());
        }
    }
}
