package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What goes into a certificate Secret, as cert-manager writes it: type {@code kubernetes.io/tls},
 * data {@code tls.crt}, {@code tls.key}, {@code ca.crt}, the {@code cert-manager.io/*} annotations
 * (as its {@code pki.SecretAnnotations…}), the certificate's labels, and our own state in
 * annotations under {@value KubernetesSecretStore#PREFIX}; and how such a Secret reads back.
 * Stateless.
 */
public final class SecretCodec {
    private static final String OWN = KubernetesSecretStore.PREFIX;
    /** Prefix of cert-manager's annotations. */
    public static final String CM = "cert-manager.io/";
    /** The data key of the chain, leaf first. */
    public static final String TLS_CRT = "tls.crt";
    /** The data key of the private key. */
    public static final String TLS_KEY = "tls.key";
    /** The data key of the CA certificate, when the chain ends in a self-signed root. */
    public static final String CA_CRT = "ca.crt";
    /** Our annotation holding the spec fingerprint; its presence marks a Secret as ours. */
    public static final String FINGERPRINT = OWN + "spec-fingerprint";
    static final String ISSUER = OWN + "issuer";
    static final String REVISION = OWN + "revision";
    static final String ISSUED_AT = OWN + "issued-at";
    static final String REVOKED_AT = OWN + "revoked-at";
    static final String KEY_ENCODING = OWN + "private-key-encoding";
    /** cert-manager's label on every Secret its controller writes ({@code PartOfCertManagerControllerLabelKey}). */
    public static final String FAO = "controller.cert-manager.io/fao";
    /** The cert-manager annotations a certificate Secret's writer owns: details, certificate name, issuer. */
    static final java.util.Set<String> OWNED_ANNOTATIONS;

    static {
        java.util.Set<String> owned = new java.util.HashSet<>(CertManagerAnnotations.KEYS);
        owned.addAll(java.util.List.of(CM + "certificate-name", CM + "issuer-name", CM + "issuer-kind", CM + "issuer-group"));
        OWNED_ANNOTATIONS = java.util.Set.copyOf(owned);
    }

    /** Marks a Secret whose content was set aside as damaged; the next save removes it with the other own annotations. */
    public static final String DAMAGED = OWN + "damaged";
    /** The annotation cert-manager's Secrets carry: its presence marks a Secret as cert-manager's. */
    public static final String CERTIFICATE_NAME = CM + "certificate-name";
    /** The annotation naming the issuer that cert-manager used. */
    public static final String ISSUER_NAME = CM + "issuer-name";
    /** The annotation holding the kind of the issuer, as the Certificate's issuerRef gives it (may be empty). */
    public static final String ISSUER_KIND = CM + "issuer-kind";
    /** The annotation holding the group of the issuer, as the Certificate's issuerRef gives it (may be empty). */
    public static final String ISSUER_GROUP = CM + "issuer-group";

    private SecretCodec() {
    }

    /**
     * @param secret a Secret as read
     * @return its annotations, empty when it has none
     */
    public static Map<String, String> annotations(Secret secret) {
        Map<String, String> a = secret.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    /**
     * @param annotations a Secret's annotations
     * @return whether autocert4j or cert-manager made the Secret
     */
    public static boolean isManaged(Map<String, String> annotations) {
        return annotations.containsKey(FINGERPRINT) || annotations.containsKey(CERTIFICATE_NAME);
    }

    /**
     * @param secret a certificate Secret
     * @param id the Secret as {@code namespace/name}, for messages
     * @return its chain, key pair and the first certificate of {@code ca.crt} as CA, with placeholder metadata
     * @throws StoreException when {@code tls.crt} or {@code tls.key} is missing or unreadable
     */
    public static StoredCertificate parse(Secret secret, String id) throws StoreException {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        List<X509Certificate> tlsCrt = entry(data, TLS_CRT, id, Pem::decodeChain);
        List<X509Certificate> ca = data.containsKey(CA_CRT) ? entry(data, CA_CRT, id, Pem::decodeChain) : List.of();
        CaBundle bundle = new CaBundle(tlsCrt, ca);
        KeyPair keyPair = entry(data, TLS_KEY, id, Pem::decodeKeyPair);
        // The first certificate of ca.crt is the CA, as cert-manager's CA issuer reads it; a re-write (revocation
        // mark, adopted Secret) names it, and CaCrtEntry then keeps the ca.crt that holds it byte for byte.
        return new StoredCertificate(bundle.chain(), keyPair, new CertificateMetadata("-", "-", 1, Instant.EPOCH),
                bundle.ca());
    }

    /** Reads one PEM entry of a Secret's data. */
    private interface PemReader<T> {
        T read(String pem) throws Pem.InvalidPemException;
    }

    /** Names the entry and what is wrong with it: missing, not base64, or Pem's reason. */
    private static <T> T entry(Map<String, String> data, String key, String id, PemReader<T> reader) throws StoreException {
        String base64 = data.get(key);
        if (base64 == null) {
            throw new StoreException("Secret " + id + " has no " + key, false, null);
        }
        try {
            return reader.read(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new StoreException("Secret " + id + " holds no readable " + key + ": it is not base64 ("
                    + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()) + ")", false, e);
        } catch (Pem.InvalidPemException | RuntimeException e) {
            // Pem's messages hold no key material, but for a key they quote the PEM header it expected, which
            // log scans take for a key: for tls.key only the kind of content is named.
            String reason = key.equals(TLS_KEY) ? "not an unencrypted PEM private key (PKCS#1, SEC 1 or PKCS#8)"
                    : e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            throw new StoreException("Secret " + id + " holds no readable " + key + ": " + reason, false, e);
        }
    }

    /**
     * @param annotations the annotations of a Secret of ours
     * @return the metadata they hold
     * @throws RuntimeException when an annotation is missing or unreadable
     */
    public static CertificateMetadata metadata(Map<String, String> annotations) {
        return new CertificateMetadata(annotations.get(FINGERPRINT), annotations.getOrDefault(ISSUER, ""),
                Integer.parseInt(annotations.getOrDefault(REVISION, "")),
                Instant.parse(annotations.getOrDefault(ISSUED_AT, "")),
                java.util.Optional.ofNullable(annotations.get(REVOKED_AT)).map(Instant::parse));
    }

    /**
     * @param tlsCrt the chain as it goes into {@code tls.crt} ({@link CaBundle#tlsCrt()})
     * @param key the leaf's private key
     * @param encoding the private key's encoding
     * @return base64 data entries {@code tls.crt} and {@code tls.key}; {@code ca.crt} is {@link CaCrtEntry}'s
     */
    public static Map<String, String> pemData(List<X509Certificate> tlsCrt, java.security.PrivateKey key,
            KeyEncoding encoding) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(TLS_CRT, encode(Pem.encodeChain(tlsCrt)));
        data.put(TLS_KEY, encode(Pem.encodePrivateKey(key, encoding)));
        return data;
    }

    /**
     * The annotations of a certificate Secret, as {@code pkg/controller/certificates/issuing/internal/secret.go}
     * ({@code setValues}) writes them: those computed from the issued certificate, the certificate's name,
     * and the issuer that issued it as the Certificate refers to it (its issuerRef or, for a certificate
     * from a fallback issuer, that fallback's ref; kind and group spelt as written); then our own state.
     *
     * @param certificate the certificate the Secret holds
     * @param stored the issued certificate and our state to record
     * @param encoding the private key's encoding
     * @return cert-manager's annotations, then ours
     */
    public static Map<String, String> annotations(Certificate certificate, StoredCertificate stored, KeyEncoding encoding) {
        CertificateMetadata metadata = stored.metadata();
        IssuerRef issuer = certificate.issuerRefsInOrder().stream().filter(ref -> ref.name().equals(metadata.issuerName()))
                .findFirst().orElse(certificate.issuerRef());
        Map<String, String> a = new LinkedHashMap<>(CertManagerAnnotations.of(stored.leaf()));
        a.put(CERTIFICATE_NAME, certificate.name());
        a.put(ISSUER_NAME, issuer.name());
        // Verbatim, "" for a kind-less or group-less issuerRef: issuing_controller.go copies the request's issuerRef,
        // which the request manager copied from the Certificate (cert-manager v1.20+ defaults neither in the API).
        a.put(ISSUER_KIND, issuer.kindAsWritten());
        a.put(ISSUER_GROUP, issuer.groupAsWritten());
        a.put(FINGERPRINT, metadata.specFingerprint());
        a.put(ISSUER, metadata.issuerName());
        a.put(REVISION, Integer.toString(metadata.revision()));
        a.put(ISSUED_AT, metadata.issuedAt().toString());
        metadata.revokedAt().ifPresent(at -> a.put(REVOKED_AT, at.toString()));
        a.put(KEY_ENCODING, encoding.name());
        return a;
    }

    /**
     * @param namespace the Secret's namespace
     * @param name the Secret's name
     * @param annotations from {@link #annotations(Certificate, StoredCertificate, KeyEncoding)}
     * @param data the data entries
     * @return a new certificate Secret, labelled as cert-manager labels it
     */
    public static Secret newSecret(String namespace, String name, Map<String, String> annotations, Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(Map.of(FAO, "true"))
                .withAnnotations(annotations).endMetadata().withType("kubernetes.io/tls").withData(data).build();
    }

    /**
     * Rewrites only what cert-manager's field manager owns in a certificate Secret
     * ({@code pkg/controller/certificates/issuing/internal/secret.go} applies exactly these fields, so
     * everything else stays): the certificate detail and issuer annotations, our own annotations, the
     * {@code controller.cert-manager.io/fao} label and the data entries we write. Other people's
     * annotations (also other {@code cert-manager.io/*} ones, such as {@code allow-direct-injection}),
     * labels and data entries stay. A detail annotation the new certificate no longer has goes away,
     * as it does under server-side apply.
     *
     * @param current the Secret as read, with its resourceVersion
     * @param annotations from {@link #annotations(Certificate, StoredCertificate, KeyEncoding)}
     * @param data the data entries
     * @param dropped data entries to remove unless {@code data} has them (keystores and output formats no longer asked for)
     * @return the Secret to update
     */
    public static Secret merged(Secret current, Map<String, String> annotations, Map<String, String> data,
            java.util.Collection<String> dropped) {
        Map<String, String> before = annotations(current);
        Map<String, String> mergedAnnotations = new LinkedHashMap<>(before);
        mergedAnnotations.keySet().removeIf(k -> OWNED_ANNOTATIONS.contains(k) || k.startsWith(OWN));
        mergedAnnotations.putAll(annotations);
        keepEmptyIssuerKindAndGroup(before, mergedAnnotations);
        Map<String, String> mergedLabels = new LinkedHashMap<>(
                current.getMetadata().getLabels() == null ? Map.of() : current.getMetadata().getLabels());
        mergedLabels.put(FAO, "true");
        Map<String, String> mergedData = new LinkedHashMap<>(current.getData() == null ? Map.of() : current.getData());
        mergedData.remove(CA_CRT);
        mergedData.keySet().removeAll(dropped);
        mergedData.putAll(data);
        return new SecretBuilder(current).editMetadata().withAnnotations(mergedAnnotations)
                .withLabels(mergedLabels).endMetadata().withData(mergedData).build();
    }

    /**
     * cert-manager writes the Certificate's issuerRef as given ({@code issuing_controller.go}: {@code IssuerKind:
     * req.Spec.IssuerRef.Kind}, copied from the Certificate), so an issuerRef without kind or group gives
     * {@code issuer-kind: ""} and {@code issuer-group: ""}. For the same issuer, those empty values mean what ours
     * mean ({@code pkg/api/util/issuers.go IssuerKindsEqual}, {@code IssuerGroupsEqual}): keep cert-manager's
     * spelling in a Secret that has it.
     */
    private static void keepEmptyIssuerKindAndGroup(Map<String, String> before, Map<String, String> merged) {
        if (!Objects.equals(before.get(ISSUER_NAME), merged.get(ISSUER_NAME))) {
            return;
        }
        if ("".equals(before.get(ISSUER_KIND)) && "Issuer".equals(merged.get(ISSUER_KIND))) {
            merged.put(ISSUER_KIND, "");
        }
        if ("".equals(before.get(ISSUER_GROUP)) && CertManagerAdoption.GROUP.equals(merged.get(ISSUER_GROUP))) {
            merged.put(ISSUER_GROUP, "");
        }
    }

    /**
     * @param text text
     * @return its UTF-8 bytes in base64, as Secret data holds them
     */
    public static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param base64 a Secret data value
     * @return its text
     * @throws IllegalArgumentException when the value is missing or not base64
     */
    public static String decode(String base64) {
        if (base64 == null) {
            throw new IllegalArgumentException("key missing");
        }
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
