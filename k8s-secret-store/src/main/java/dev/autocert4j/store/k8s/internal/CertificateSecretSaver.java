package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.Certificate;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes an issued certificate into its Secret as cert-manager writes it: the PEM keys, the additional output
 * formats and keystores the certificate asks for, cert-manager's annotations and label and our own state, the
 * {@code secretTemplate}; {@code ca.crt} as {@link CaCrtEntry} chooses it; other people's entries left alone
 * ({@link SecretCodec#merged}). Each write carries the
 * {@code resourceVersion} it read and is retried on a conflict ({@link SecretWriter}). Thread-safe.
 */
public final class CertificateSecretSaver {
    /** Data entries a save removes unless it writes them. */
    private static final Set<String> DROPPABLE = Set.copyOf(Stream.concat(Keystores.KEYS.stream(),
            OutputFormats.KEYS.stream()).toList());
    private final SecretWriter secrets;
    private final KeystoreSettings keystores;
    private final LoadedSecrets lastLoads;

    /**
     * @param secrets reads and writes Secrets
     * @param keystores which keystores a certificate gets, and their passwords
     * @param lastLoads loads remembered for the derived-parts sync; a save makes them out of date
     */
    public CertificateSecretSaver(SecretWriter secrets, KeystoreSettings keystores, LoadedSecrets lastLoads) {
        this.secrets = secrets;
        this.keystores = keystores;
        this.lastLoads = lastLoads;
    }

    /**
     * @param certificate the certificate
     * @param stored what to save for it
     * @param expected what the caller read, or null to save whatever is stored now
     * @param betweenReadAndWrite runs after each read (a test seam)
     * @throws StoreException when a keystore password is missing (nothing is written), the Secret belongs to something
     *     else, another save came first ({@code expected}), or the API server refuses
     */
    public void save(Certificate certificate, StoredCertificate stored, Optional<StoredCertificate> expected,
            Runnable betweenReadAndWrite) throws StoreException {
        String namespace = certificate.namespace();
        String name = certificate.secretName();
        KeyEncoding encoding = certificate.privateKey().encoding();
        PrivateKey key = stored.keyPair().getPrivate();
        CaBundle issued = CaBundle.split(stored.chain(), stored.ca());
        Map<String, String> pem = SecretCodec.pemData(issued.tlsCrt(), key, encoding);
        pem.putAll(OutputFormats.encode(certificate.additionalOutputFormats(),
                SecretCodec.decode(pem.get(SecretCodec.TLS_KEY)), SecretCodec.decode(pem.get(SecretCodec.TLS_CRT))));
        String id = namespace + "/" + name;
        lastLoads.forget(id);
        Map<String, String> ownAnnotations = SecretCodec.annotations(certificate, stored, encoding);
        keystores.record(ownAnnotations, certificate);
        secrets.write(namespace, name, betweenReadAndWrite, current -> {
            if (current != null) {
                SecretOwnership.requireOwnedBy(certificate, SecretCodec.annotations(current), id);
                if (expected != null) {
                    ConcurrentSaves.requireUnchanged(SecretCodec.annotations(current), expected, id);
                }
            }
            CaCrtEntry.Choice ca = CaCrtEntry.choose(current, issued.ca().orElse(null));
            Map<String, String> data = new LinkedHashMap<>(pem);
            if (ca.base64() != null) {
                data.put(SecretCodec.CA_CRT, ca.base64());
            }
            // Keystores before the write: a missing password Secret fails the save before anything is written.
            data.putAll(keystores.encode(certificate, issued.withCaCrt(ca.certificates()), key));
            Map<String, String> annotations = new LinkedHashMap<>(ownAnnotations);
            ca.mark(annotations);
            if (current == null) {
                Secret created = SecretCodec.newSecret(namespace, name, annotations, data);
                return SecretTemplates.apply(certificate.secretTemplate(), created, null);
            }
            // As cert-manager: keystores and output formats no longer asked for go away.
            return SecretTemplates.apply(certificate.secretTemplate(),
                    SecretCodec.merged(current, annotations, data, DROPPABLE), current);
        });
    }
}
