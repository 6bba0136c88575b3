package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.Certificate;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.ForeignSecretException;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a certificate from its Secret: one of ours by its annotations, one cert-manager issued by adoption
 * ({@link CertManagerAdoption}), a damaged one set aside ({@link SecretQuarantine}), anyone else's refused.
 * Remembers each read for the derived-parts sync that follows on the same thread ({@link LoadedSecrets}).
 * Thread-safe.
 */
public final class CertificateSecretLoader {
    /** The store's category, so that one logger setting covers every store message. */
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesSecretStore.class);
    private final SecretWriter secrets;
    private final SecretQuarantine quarantine;
    private final LoadedSecrets lastLoads;

    /**
     * @param secrets reads Secrets
     * @param quarantine sets damaged Secrets aside
     * @param lastLoads where each load's read is remembered
     */
    public CertificateSecretLoader(SecretWriter secrets, SecretQuarantine quarantine, LoadedSecrets lastLoads) {
        this.secrets = secrets;
        this.quarantine = quarantine;
        this.lastLoads = lastLoads;
    }

    /**
     * @param certificate the certificate whose Secret to read
     * @return what the Secret holds for it; empty when there is no Secret, it was set aside as damaged, or
     *     cert-manager's certificate in it does not pass adoption (the reason is logged)
     * @throws StoreException when the Secret is foreign, belongs to another certificate, is damaged (then it is
     *     set aside first), or the API server fails
     */
    public Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
        Secret secret = secrets.get(certificate.namespace(), certificate.secretName());
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> annotations = SecretCodec.annotations(secret);
        String id = certificate.namespace() + "/" + certificate.secretName();
        SecretOwnership.requireOwnedBy(certificate, annotations, id);
        if (annotations.containsKey(SecretCodec.DAMAGED)) {
            return Optional.empty(); // set aside earlier: the next save writes over it
        }
        if (annotations.containsKey(SecretCodec.FINGERPRINT)) {
            return Optional.of(lastLoads.remember(id, ours(secret, annotations, id), secret));
        }
        if (annotations.containsKey(SecretCodec.CERTIFICATE_NAME)) {
            return adopted(certificate, secret, annotations, id).map(loaded -> lastLoads.remember(id, loaded, secret));
        }
        throw new ForeignSecretException(id);
    }

    private StoredCertificate ours(Secret secret, Map<String, String> annotations, String id) throws StoreException {
        try {
            return SecretCodec.parse(secret, id).withMetadata(SecretCodec.metadata(annotations));
        } catch (StoreException e) {
            throw quarantine.setAside(secret, id, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw quarantine.setAside(secret, id, "Secret " + id + " has unreadable " + KubernetesSecretStore.PREFIX
                    + " annotations (" + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()) + ")", e);
        }
    }

    private Optional<StoredCertificate> adopted(Certificate certificate, Secret secret, Map<String, String> annotations,
            String id) throws StoreException {
        StoredCertificate parsed;
        try {
            parsed = SecretCodec.parse(secret, id);
        } catch (StoreException e) {
            throw quarantine.setAside(secret, id, e.getMessage(), e);
        }
        Optional<String> mismatch = CertManagerAdoption.mismatch(certificate, annotations, parsed);
        if (mismatch.isPresent()) {
            LOG.info("cert-manager's Secret {} is not adopted for {}: {}; it is issued anew", id, certificate.id(),
                    mismatch.get());
            return Optional.empty();
        }
        // Adopted: the certificate's own fingerprint, so the manager uses it until its renewal time.
        return Optional.of(parsed.withMetadata(new CertificateMetadata(certificate.specFingerprint(),
                annotations.getOrDefault(SecretCodec.ISSUER_NAME, certificate.issuerRef().name()), 1, parsed.notBefore())));
    }
}
