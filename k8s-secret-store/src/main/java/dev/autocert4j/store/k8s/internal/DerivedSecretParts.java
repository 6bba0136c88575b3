package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.Certificate;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Brings the parts of a certificate Secret that follow from the Certificate's spec alone up to date without a
 * new certificate, as cert-manager's post-issuance policies do
 * ({@code internal/controller/certificates/policies/policies.go NewSecretPostIssuancePolicyChain}, whose
 * checks in {@code checks.go} trigger a re-write of the Secret, not an issuance): the
 * {@code controller.cert-manager.io/fao} label ({@code SecretBaseLabelsMismatch}), the certificate detail
 * annotations ({@code SecretCertificateDetailsAnnotationsMismatch}), the {@code secretTemplate}
 * ({@code SecretSecretTemplateMismatch}, {@code SecretSecretTemplateManagedFieldsMismatch}), the
 * {@code additionalOutputFormats} ({@code SecretAdditionalOutputFormatsMismatch} and its managed-fields
 * twin) and the keystores ({@code SecretKeystoreFormatMismatch}). {@code tls.crt}, {@code tls.key},
 * {@code ca.crt} and our state stay byte for byte. Everything is derived from the Secret as read for the
 * write, and the write carries that read's {@code resourceVersion}. Thread-safe.
 */
public final class DerivedSecretParts {
    private final SecretWriter secrets;
    private final KeystoreSettings keystores;

    /**
     * @param secrets reads and writes Secrets
     * @param keystores which keystores a certificate gets, and their passwords
     */
    public DerivedSecretParts(SecretWriter secrets, KeystoreSettings keystores) {
        this.secrets = secrets;
        this.keystores = keystores;
    }

    /**
     * @param certificate the certificate as asked for now
     * @param read the Secret as the load just read it, or null to read it now
     * @param betweenReadAndWrite runs after each read (a test seam)
     * @return whether the Secret was rewritten
     * @throws StoreException when a keystore cannot be built, the Secret belongs to something else, or the
     *     API server refuses
     */
    public boolean sync(Certificate certificate, Secret read, Runnable betweenReadAndWrite) throws StoreException {
        String id = certificate.namespace() + "/" + certificate.secretName();
        return secrets.write(certificate.namespace(), certificate.secretName(), read, betweenReadAndWrite,
                current -> current == null ? null : synced(certificate, current, id));
    }

    /** @return the Secret with its derived parts current, or null when they are current already or there is nothing to sync */
    private Secret synced(Certificate certificate, Secret current, String id) throws StoreException {
        Map<String, String> annotations = SecretCodec.annotations(current);
        SecretOwnership.requireOwnedBy(certificate, annotations, id);
        if (annotations.containsKey(SecretCodec.DAMAGED)) {
            return null;
        }
        StoredCertificate parsed;
        try {
            parsed = SecretCodec.parse(current, id);
        } catch (StoreException e) {
            return null; // unreadable: the next load sets it aside and issuance replaces it
        }
        Map<String, String> data = new LinkedHashMap<>(current.getData());
        String keyPem = SecretCodec.decode(data.get(SecretCodec.TLS_KEY));
        String chainPem = SecretCodec.decode(data.get(SecretCodec.TLS_CRT));
        data.keySet().removeAll(OutputFormats.KEYS);
        data.putAll(OutputFormats.encode(certificate.additionalOutputFormats(), keyPem, chainPem));

        Map<String, String> nextAnnotations = new LinkedHashMap<>(annotations);
        nextAnnotations.keySet().removeAll(CertManagerAnnotations.KEYS);
        nextAnnotations.putAll(CertManagerAnnotations.of(parsed.leaf()));
        if (!keystores.isCurrent(certificate, current.getData(), annotations)) {
            data.keySet().removeAll(Keystores.KEYS);
            data.putAll(keystores.encode(certificate, bundle(data, chainPem, id), parsed.keyPair().getPrivate()));
            keystores.record(nextAnnotations, certificate);
        }
        Map<String, String> labels = new LinkedHashMap<>(labels(current));
        labels.put(SecretCodec.FAO, "true");
        Secret next = SecretTemplates.apply(certificate.secretTemplate(), new SecretBuilder(current).editMetadata()
                .withAnnotations(nextAnnotations).withLabels(labels).endMetadata().withData(data).build(), current);
        boolean same = Objects.equals(SecretCodec.annotations(next), annotations)
                && Objects.equals(labels(next), labels(current)) && Objects.equals(next.getData(), current.getData());
        return same ? null : next;
    }

    /** {@code tls.crt} and {@code ca.crt} exactly as the Secret holds them: the keystores get what the PEM keys have. */
    private static CaBundle bundle(Map<String, String> data, String chainPem, String id) throws StoreException {
        try {
            List<X509Certificate> tlsCrt = Pem.decodeChain(chainPem);
            List<X509Certificate> ca = data.containsKey(SecretCodec.CA_CRT)
                    ? Pem.decodeChain(SecretCodec.decode(data.get(SecretCodec.CA_CRT))) : List.of();
            return new CaBundle(tlsCrt, ca); // every certificate of ca.crt, as keystore.go DecodeX509CertificateSetBytes
        } catch (Pem.InvalidPemException | IllegalArgumentException e) {
            throw new StoreException("Secret " + id + " holds no readable " + SecretCodec.CA_CRT + ": " + e.getMessage(), false, e);
        }
    }

    private static Map<String, String> labels(Secret secret) {
        Map<String, String> l = secret.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }
}
