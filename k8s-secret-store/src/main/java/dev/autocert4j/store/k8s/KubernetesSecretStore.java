package dev.autocert4j.store.k8s;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.AccountKeys;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.CleanupJournal;
import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.FailureRecords;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CertificateStore} that keeps each certificate in the Secret named by its
 * {@code secretName}, in its namespace, in exactly cert-manager's layout: type
 * {@code kubernetes.io/tls}, keys {@code tls.crt} (leaf and chain), {@code tls.key} and
 * {@code ca.crt} (when the chain ends in a self-signed root), the {@code cert-manager.io/*}
 * annotations and the certificate's labels. Our own state (spec fingerprint, issuer, revision,
 * issue time) lives in annotations under {@value #PREFIX}.
 *
 * <p>Keystores, as cert-manager's {@code keystores}: with {@link Builder#pkcs12Keystore} and/or
 * {@link Builder#jksKeystore} every certificate Secret also gets {@code keystore.p12} +
 * {@code truststore.p12} and/or {@code keystore.jks} + {@code truststore.jks}, encrypted with the
 * password read from a Secret in the certificate's namespace, in the same update as the PEM keys.
 *
 * <p>Every write carries the {@code resourceVersion} it read; on a conflict (HTTP 409) the store
 * re-reads and tries again. A Secret that carries neither our annotations nor cert-manager's is
 * never read or written: {@link ForeignSecretException}.
 *
 * <p>Adoption: a Secret that cert-manager issued (it carries {@code cert-manager.io/certificate-name}
 * but no annotations of ours) loads as the certificate when its common name, DNS names, IP
 * addresses and issuer equal the certificate's: the store then reports the certificate's own spec
 * fingerprint, so that {@code CertificateManager.obtain} uses it while it is valid and orders
 * nothing. Otherwise it loads as absent and the next save replaces it.
 *
 * <p>Account keys live in the Secret named by the issuer's {@code privateKeySecretRef} (key
 * {@code tls.key}, as cert-manager), in the issuer's namespace, or for cluster issuers in the
 * cluster resource namespace (default {@code cert-manager}).
 *
 * <p>Replicas that share the cluster coordinate through {@link #defaultLockProvider()}: Leases in
 * the cluster resource namespace ({@link KubernetesLeaseLockProvider}).
 *
 * <p>Thread-safe; several stores (replicas) may share one cluster.
 */
public final class KubernetesSecretStore implements CertificateStore, AccountKeys, CleanupJournal, FailureRecords {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesSecretStore.class);
    /** Prefix of the annotations that hold autocert4j's own state. */
    public static final String PREFIX = "autocert4j.dev/";
    /** The namespace that holds cluster issuers' account keys unless told otherwise. */
    public static final String DEFAULT_CLUSTER_RESOURCE_NAMESPACE = "cert-manager";

    static final String CM = "cert-manager.io/";
    static final String TLS_CRT = "tls.crt";
    static final String TLS_KEY = "tls.key";
    static final String CA_CRT = "ca.crt";
    static final String FINGERPRINT = PREFIX + "spec-fingerprint";
    static final String ISSUER = PREFIX + "issuer";
    static final String REVISION = PREFIX + "revision";
    static final String ISSUED_AT = PREFIX + "issued-at";
    static final String KEY_ENCODING = PREFIX + "private-key-encoding";
    private static final int MAX_ATTEMPTS = 20;

    private final KubernetesClient client;
    private final String clusterResourceNamespace;
    private final SecretKeyRef pkcs12Password;
    private final SecretKeyRef jksPassword;
    private volatile KubernetesLeaseLockProvider lockProvider;
    /** Test seam: runs between the read and the write of {@link #save}; a no-op in production. */
    volatile Runnable betweenReadAndWrite = () -> { };

    private KubernetesSecretStore(KubernetesClient client, String clusterResourceNamespace, SecretKeyRef pkcs12Password,
            SecretKeyRef jksPassword) {
        this.client = client;
        this.clusterResourceNamespace = clusterResourceNamespace;
        this.pkcs12Password = pkcs12Password;
        this.jksPassword = jksPassword;
    }

    /**
     * @param client the client to talk to the API server with; the caller keeps and closes it
     * @return a store whose cluster issuers keep their account keys in {@code cert-manager}
     */
    public static KubernetesSecretStore of(KubernetesClient client) {
        return builder(client).build();
    }

    /**
     * @param client the client to talk to the API server with; the caller keeps and closes it
     * @param clusterResourceNamespace where cluster issuers' account key Secrets live
     * @return a new store
     */
    public static KubernetesSecretStore of(KubernetesClient client, String clusterResourceNamespace) {
        return builder(client).clusterResourceNamespace(clusterResourceNamespace).build();
    }

    /**
     * @param client the client to talk to the API server with; the caller keeps and closes it
     * @return a builder for a store with options: cluster resource namespace, keystores
     */
    public static Builder builder(KubernetesClient client) {
        return new Builder(requireNonNull(client, "client"));
    }

    @Override
    public Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
        requireNonNull(certificate, "certificate");
        Secret secret = get(certificate.namespace(), certificate.secretName());
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> annotations = annotations(secret);
        String id = certificate.namespace() + "/" + certificate.secretName();
        if (annotations.containsKey(DAMAGED)) {
            return Optional.empty(); // set aside earlier: the next save writes over it
        }
        if (annotations.containsKey(FINGERPRINT)) {
            StoredCertificate parsed;
            CertificateMetadata metadata;
            try {
                parsed = parse(secret, id);
                metadata = new CertificateMetadata(annotations.get(FINGERPRINT), annotations.getOrDefault(ISSUER, ""),
                        Integer.parseInt(annotations.getOrDefault(REVISION, "")),
                        Instant.parse(annotations.getOrDefault(ISSUED_AT, "")));
            } catch (StoreException e) {
                throw setAside(secret, id, e.getMessage());
            } catch (RuntimeException e) {
                throw setAside(secret, id, "Secret " + id + " has unreadable " + PREFIX + " annotations");
            }
            return Optional.of(new StoredCertificate(parsed.chain(), parsed.keyPair(), metadata));
        }
        if (annotations.containsKey(CM + "certificate-name")) {
            if (!adoptable(certificate, annotations)) {
                return Optional.empty();
            }
            StoredCertificate parsed;
            try {
                parsed = parse(secret, id);
            } catch (StoreException e) {
                throw setAside(secret, id, e.getMessage());
            }
            return Optional.of(new StoredCertificate(parsed.chain(), parsed.keyPair(),
                    new CertificateMetadata(certificate.specFingerprint(), annotations.get(CM + "issuer-name"), 1,
                            parsed.notBefore())));
        }
        throw new ForeignSecretException(id);
    }

    private static boolean adoptable(Certificate certificate, Map<String, String> annotations) {
        return String.join(",", certificate.dnsNames()).equals(annotations.getOrDefault(CM + "alt-names", ""))
                && String.join(",", certificate.ipAddresses()).equals(annotations.getOrDefault(CM + "ip-sans", ""))
                && certificate.commonName().orElse("").equals(annotations.getOrDefault(CM + "common-name", ""))
                && certificate.issuerRef().name().equals(annotations.get(CM + "issuer-name"))
                && certificate.issuerRef().kind().manifestName().equals(annotations.get(CM + "issuer-kind"));
    }

    /** Marks a Secret whose content was set aside as damaged; the next save removes it with the other own annotations. */
    static final String DAMAGED = PREFIX + "damaged";

    /**
     * Keeps a copy of a damaged Secret as {@code <name>.damaged-<UTC time>} (type Opaque, same data),
     * marks the original with {@value #DAMAGED} so that the next load finds nothing and the manager
     * issues anew over it, and reports both. Nothing is deleted.
     */
    private CorruptStoreException setAside(Secret secret, String id, String problem) throws StoreException {
        String namespace = secret.getMetadata().getNamespace();
        String name = secret.getMetadata().getName();
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss'z'").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
        String copyName = null;
        for (int i = 1; i <= 20 && copyName == null; i++) {
            String candidate = (name.length() > 200 ? name.substring(0, 200) : name) + ".damaged-" + stamp + (i == 1 ? "" : "-" + i);
            try {
                client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(candidate)
                        .withNamespace(namespace).withAnnotations(Map.of(PREFIX + "damaged-copy-of", id)).endMetadata()
                        .withType("Opaque").withData(secret.getData()).build()).create();
                copyName = candidate;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new StoreException(problem + "; it could not be copied aside (HTTP " + e.getCode()
                            + "): delete Secret " + id + " to have the certificate issued anew", false, null);
                }
            }
        }
        if (copyName == null) {
            throw new StoreException(problem + "; it could not be copied aside: delete Secret " + id
                    + " to have the certificate issued anew", false, null);
        }
        Map<String, String> marked = new LinkedHashMap<>(annotations(secret));
        marked.put(DAMAGED, stamp);
        try {
            client.secrets().inNamespace(namespace).resource(new SecretBuilder(secret).editMetadata().withAnnotations(marked)
                    .endMetadata().build()).update();
        } catch (KubernetesClientException e) {
            // 409: someone rewrote it meanwhile; the next load reads what they wrote.
            LOG.debug("Could not mark Secret {} as damaged: HTTP {}", id, e.getCode());
        }
        String copy = namespace + "/" + copyName;
        LOG.warn("{}: kept a copy in Secret {}; the certificate is issued anew into Secret {}", problem, copy, id);
        return new CorruptStoreException(problem + ". A copy is kept in Secret " + copy
                + "; the next load finds no certificate, so the manager issues a new one into Secret " + id, id,
                List.of(copy), null);
    }

    private static StoredCertificate parse(Secret secret, String id) throws StoreException {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        try {
            List<X509Certificate> chain = Pem.decodeChain(decode(data.get(TLS_CRT)));
            KeyPair keyPair = Pem.decodeKeyPair(decode(data.get(TLS_KEY)));
            return new StoredCertificate(chain, keyPair, new CertificateMetadata("-", "-", 1, Instant.EPOCH));
        } catch (Pem.InvalidPemException | RuntimeException e) {
            // The message of the cause never holds key material (Pem reports only what kind of object failed).
            throw new StoreException("Secret " + id + " holds no readable tls.crt/tls.key", false, e);
        }
    }

    @Override
    public void save(Certificate certificate, StoredCertificate stored) throws StoreException {
        requireNonNull(certificate, "certificate");
        requireNonNull(stored, "stored");
        String namespace = certificate.namespace();
        String name = certificate.secretName();
        Map<String, String> data = new LinkedHashMap<>();
        data.put(TLS_CRT, encode(Pem.encodeChain(stored.chain())));
        KeyEncoding encoding = certificate.privateKey().encoding();
        data.put(TLS_KEY, encode(Pem.encodePrivateKey(stored.keyPair().getPrivate(), encoding)));
        X509Certificate last = stored.chain().get(stored.chain().size() - 1);
        if (stored.chain().size() > 1 && last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            data.put(CA_CRT, encode(Pem.encodeChain(List.of(last))));
        }
        String id = namespace + "/" + name;
        // Keystores first: a missing password Secret fails the save before anything is written.
        char[] pkcs12 = password(namespace, pkcs12Password, id);
        char[] jks;
        try {
            jks = password(namespace, jksPassword, id);
        } catch (StoreException e) {
            if (pkcs12 != null) {
                java.util.Arrays.fill(pkcs12, '\0');
            }
            throw e;
        }
        // Clears both passwords.
        data.putAll(Keystores.encode(stored.chain(), stored.keyPair().getPrivate(), data.containsKey(CA_CRT) ? last : null,
                pkcs12, jks));
        Map<String, String> annotations = SecretLayout.annotations(certificate);
        annotations.put(FINGERPRINT, stored.metadata().specFingerprint());
        annotations.put(ISSUER, stored.metadata().issuerName());
        annotations.put(REVISION, Integer.toString(stored.metadata().revision()));
        annotations.put(ISSUED_AT, stored.metadata().issuedAt().toString());
        annotations.put(KEY_ENCODING, encoding.name());
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Secret current = get(namespace, name);
            betweenReadAndWrite.run();
            try {
                if (current == null) {
                    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                            .withName(name).withNamespace(namespace).withLabels(certificate.labels())
                            .withAnnotations(annotations).endMetadata().withType("kubernetes.io/tls")
                            .withData(data).build()).create();
                    return;
                }
                Map<String, String> existing = annotations(current);
                if (!existing.containsKey(FINGERPRINT) && !existing.containsKey(CM + "certificate-name")) {
                    throw new ForeignSecretException(id);
                }
                Map<String, String> mergedAnnotations = new LinkedHashMap<>(existing);
                mergedAnnotations.keySet().removeIf(k -> k.startsWith(CM) || k.startsWith(PREFIX));
                mergedAnnotations.putAll(annotations);
                Map<String, String> labels = new LinkedHashMap<>(
                        current.getMetadata().getLabels() == null ? Map.of() : current.getMetadata().getLabels());
                labels.putAll(certificate.labels());
                Map<String, String> mergedData = new LinkedHashMap<>(current.getData() == null ? Map.of() : current.getData());
                mergedData.remove(CA_CRT);
                // As cert-manager: keystores of formats no longer configured go away.
                mergedData.keySet().removeAll(Keystores.KEYS);
                mergedData.putAll(data);
                Secret updated = new SecretBuilder(current).editMetadata().withAnnotations(mergedAnnotations)
                        .withLabels(labels).endMetadata().withData(mergedData).build();
                // update() sends the resourceVersion we read: a concurrent change gives 409.
                client.secrets().inNamespace(namespace).resource(updated).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new StoreException("cannot write Secret " + id + ": HTTP " + e.getCode(), true, null);
                }
            }
        }
        throw new StoreException("Secret " + id + " kept changing; gave up after " + MAX_ATTEMPTS + " attempts", true, null);
    }

    @Override
    public Optional<KeyPair> loadAccountKey(AccountKeyRef ref) throws StoreException {
        requireNonNull(ref, "ref");
        Secret secret = get(accountNamespace(ref), ref.name());
        return secret == null ? Optional.empty() : Optional.of(accountKey(secret, ref));
    }

    @Override
    public KeyPair saveAccountKeyIfAbsent(AccountKeyRef ref, KeyPair candidate) throws StoreException {
        requireNonNull(ref, "ref");
        requireNonNull(candidate, "candidate");
        String namespace = accountNamespace(ref);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Secret existing = get(namespace, ref.name());
            if (existing != null) {
                return accountKey(existing, ref);
            }
            try {
                client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                        .withName(ref.name()).withNamespace(namespace).endMetadata().withType("Opaque")
                        .withData(Map.of(TLS_KEY, encode(Pem.encodePrivateKey(candidate.getPrivate(), KeyEncoding.PKCS8))))
                        .build()).create();
                return candidate;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new StoreException("cannot create account key Secret " + namespace + "/" + ref.name()
                            + ": HTTP " + e.getCode(), true, null);
                }
            }
        }
        throw new StoreException("account key Secret " + namespace + "/" + ref.name() + " could not be created", true, null);
    }

    /** The Secret, in the cluster resource namespace, that journals challenge records still to delete. */
    static final String CLEANUPS_SECRET = "autocert4j-pending-cleanups";

    /**
     * Journals a cleanup in the Secret {@value #CLEANUPS_SECRET} of the cluster resource namespace,
     * one data entry per cleanup, written with resourceVersion and retried on conflict.
     */
    @Override
    public void recordPendingCleanup(PendingCleanup cleanup) throws StoreException {
        requireNonNull(cleanup, "cleanup");
        changeCleanups(entries -> entries.put(cleanupKey(cleanup), encode(cleanupText(cleanup))));
    }

    @Override
    public void removePendingCleanup(PendingCleanup cleanup) throws StoreException {
        requireNonNull(cleanup, "cleanup");
        changeCleanups(entries -> entries.remove(cleanupKey(cleanup)));
    }

    @Override
    public List<PendingCleanup> pendingCleanups() throws StoreException {
        Secret secret = get(clusterResourceNamespace, CLEANUPS_SECRET);
        if (secret == null || secret.getData() == null) {
            return List.of();
        }
        List<PendingCleanup> out = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(secret.getData()).entrySet()) {
            String[] parts = decode(e.getValue()).split("\n", 3);
            if (parts.length != 3) {
                throw new StoreException("Secret " + clusterResourceNamespace + "/" + CLEANUPS_SECRET + " entry " + e.getKey()
                        + " is damaged: delete that entry after removing its record by hand", false, null);
            }
            out.add(new PendingCleanup(parts[0], parts[1], parts[2]));
        }
        return List.copyOf(out);
    }


    private static String cleanupText(PendingCleanup c) {
        return c.certificateId() + "\n" + c.solverId() + "\n" + c.handle();
    }

    private static String cleanupKey(PendingCleanup c) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(cleanupText(c).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The Secret, in each certificate's namespace, whose annotations hold the failed issuance attempts. */
    static final String FAILURES_SECRET = "autocert4j-issuance-failures";
    static final String FAILURES_PREFIX = PREFIX + "failures.";

    /**
     * Reads the failures from the annotation {@code autocert4j.dev/failures.<name>} of the Secret
     * {@value #FAILURES_SECRET} in the certificate's namespace: in annotations, not data, and
     * outside the certificate's own Secret, which may not exist yet when the first issuance fails.
     * A damaged entry counts as none (only a backoff is lost) and is logged.
     */
    @Override
    public Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
        requireNonNull(certificate, "certificate");
        Secret secret = get(certificate.namespace(), FAILURES_SECRET);
        String text = secret == null ? null : annotations(secret).get(FAILURES_PREFIX + certificate.name());
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split("\n", 5);
        try {
            return Optional.of(new IssuanceFailures(parts[0], Integer.parseInt(parts[1]), Instant.parse(parts[2]),
                    Instant.parse(parts[3]), parts.length > 4 ? parts[4] : ""));
        } catch (RuntimeException e) {
            LOG.warn("Secret {}/{} annotation {} is damaged ({}); {} is retried without a backoff", certificate.namespace(),
                    FAILURES_SECRET, FAILURES_PREFIX + certificate.name(), e.getMessage(), certificate.id());
            return Optional.empty();
        }
    }

    @Override
    public void saveFailures(Certificate certificate, IssuanceFailures failures) throws StoreException {
        requireNonNull(certificate, "certificate");
        requireNonNull(failures, "failures");
        String text = failures.specFingerprint() + "\n" + failures.attempts() + "\n" + failures.lastFailureTime() + "\n"
                + failures.nextAttempt() + "\n" + failures.lastMessage();
        changeFailures(certificate.namespace(), entries -> entries.put(FAILURES_PREFIX + certificate.name(), text));
    }

    @Override
    public void clearFailures(Certificate certificate) throws StoreException {
        requireNonNull(certificate, "certificate");
        Secret secret = get(certificate.namespace(), FAILURES_SECRET);
        if (secret != null && annotations(secret).containsKey(FAILURES_PREFIX + certificate.name())) {
            changeFailures(certificate.namespace(), entries -> entries.remove(FAILURES_PREFIX + certificate.name()));
        }
    }


    /**
     * Reads a keystore password from the certificate's namespace. The value never goes into a
     * message or log line.
     */
    private char[] password(String namespace, SecretKeyRef ref, String certificateSecret) throws StoreException {
        if (ref == null) {
            return null;
        }
        Secret secret = get(namespace, ref.name());
        String value = secret == null || secret.getData() == null ? null : secret.getData().get(ref.key());
        if (value == null) {
            throw new StoreException("keystore password Secret " + namespace + "/" + ref.name() + (secret == null
                    ? " does not exist" : " has no key " + ref.key()) + "; create it (as for cert-manager's "
                    + "passwordSecretRef) — Secret " + certificateSecret + " was not written", true, null);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            java.nio.CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            java.util.Arrays.fill(bytes, (byte) 0);
            if (chars.hasArray()) {
                java.util.Arrays.fill(chars.array(), '\0');
            }
            return password;
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw new StoreException("keystore password Secret " + namespace + "/" + ref.name() + " key " + ref.key()
                    + " is not valid base64 UTF-8 — Secret " + certificateSecret + " was not written", false, null);
        }
    }

    private void changeCleanups(java.util.function.Consumer<Map<String, String>> change) throws StoreException {
        changeBookkeeping(clusterResourceNamespace, CLEANUPS_SECRET, false, "challenge records still to delete", change);
    }

    private void changeFailures(String namespace, java.util.function.Consumer<Map<String, String>> change)
            throws StoreException {
        changeBookkeeping(namespace, FAILURES_SECRET, true, "failed issuance attempts, for the backoff", change);
    }

    /**
     * Changes the entries of one of the store's bookkeeping Secrets (an Opaque Secret, created on
     * first use): its data or its annotations. Written with the resourceVersion read; a 409 re-reads
     * and retries.
     */
    private void changeBookkeeping(String namespace, String name, boolean inAnnotations, String purpose,
            java.util.function.Consumer<Map<String, String>> change) throws StoreException {
        String id = namespace + "/" + name;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Secret current = get(namespace, name);
            Map<String, String> before = current == null ? Map.of()
                    : inAnnotations ? annotations(current) : current.getData() == null ? Map.of() : current.getData();
            Map<String, String> entries = new LinkedHashMap<>(before);
            change.accept(entries);
            try {
                if (current == null) {
                    Map<String, String> annotations = new LinkedHashMap<>(inAnnotations ? entries : Map.of());
                    annotations.put(PREFIX + "purpose", purpose);
                    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                            .withName(name).withNamespace(namespace).withAnnotations(annotations).endMetadata()
                            .withType("Opaque").withData(inAnnotations ? Map.of() : entries).build()).create();
                } else if (inAnnotations) {
                    client.secrets().inNamespace(namespace).resource(new SecretBuilder(current).editMetadata()
                            .withAnnotations(entries).endMetadata().build()).update();
                } else {
                    client.secrets().inNamespace(namespace).resource(new SecretBuilder(current).withData(entries).build()).update();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new StoreException("cannot write Secret " + id + ": HTTP " + e.getCode(), true, null);
                }
            }
        }
        throw new StoreException("Secret " + id + " kept changing; gave up after " + MAX_ATTEMPTS + " attempts", true, null);
    }

    private KeyPair accountKey(Secret secret, AccountKeyRef ref) throws StoreException {
        String data = secret.getData() == null ? null : secret.getData().get(TLS_KEY);
        try {
            return Pem.decodeKeyPair(decode(data));
        } catch (Pem.InvalidPemException | RuntimeException e) {
            throw new StoreException("account key Secret " + accountNamespace(ref) + "/" + ref.name()
                    + " holds no readable tls.key", false, e);
        }
    }

    private String accountNamespace(AccountKeyRef ref) {
        return ref.namespace().orElse(clusterResourceNamespace);
    }

    private Secret get(String namespace, String name) throws StoreException {
        try {
            return client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new StoreException("cannot read Secret " + namespace + "/" + name + ": HTTP " + e.getCode(), true, null);
        }
    }

    private static Map<String, String> annotations(Secret secret) {
        Map<String, String> a = secret.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        if (base64 == null) {
            throw new IllegalArgumentException("key missing");
        }
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /**
     * A {@link KubernetesLeaseLockProvider} with Leases in this store's cluster resource namespace
     * (where the store already keeps its cleanup journal), with a fresh holder identity and the
     * default lease duration. Created on the first call; later calls return the same provider, so
     * managers sharing this store object share its renewal thread.
     *
     * @return the store's Lease lock provider
     */
    @Override
    public LockProvider defaultLockProvider() {
        KubernetesLeaseLockProvider provider = lockProvider;
        if (provider == null) {
            synchronized (this) {
                provider = lockProvider;
                if (provider == null) {
                    provider = KubernetesLeaseLockProvider.builder(client).namespace(clusterResourceNamespace).build();
                    lockProvider = provider;
                }
            }
        }
        return provider;
    }

    @Override
    public String toString() {
        return "KubernetesSecretStore[clusterResourceNamespace=" + clusterResourceNamespace
                + (pkcs12Password == null ? "" : ", pkcs12 password " + pkcs12Password)
                + (jksPassword == null ? "" : ", jks password " + jksPassword) + "]";
    }

    /** cert-manager's annotations, as its {@code pki.SecretAnnotations…} writes them. */
    static final class SecretLayout {
        private SecretLayout() {
        }

        static Map<String, String> annotations(Certificate certificate) {
            Map<String, String> a = new LinkedHashMap<>();
            a.put(CM + "certificate-name", certificate.name());
            a.put(CM + "issuer-name", certificate.issuerRef().name());
            a.put(CM + "issuer-kind", certificate.issuerRef().kind().manifestName());
            a.put(CM + "issuer-group", "cert-manager.io");
            a.put(CM + "common-name", certificate.commonName().orElse(""));
            a.put(CM + "alt-names", String.join(",", certificate.dnsNames()));
            a.put(CM + "ip-sans", String.join(",", certificate.ipAddresses()));
            a.put(CM + "uri-sans", "");
            return a;
        }
    }

    /**
     * Builds a {@link KubernetesSecretStore}. Each setter checks its argument at once and may be
     * called once. Not thread-safe.
     */
    public static final class Builder {
        private final KubernetesClient client;
        private String clusterResourceNamespace;
        private SecretKeyRef pkcs12Password;
        private SecretKeyRef jksPassword;

        private Builder(KubernetesClient client) {
            this.client = client;
        }

        /**
         * @param clusterResourceNamespace where cluster issuers' account key Secrets, the cleanup
         *     journal and the default lock provider's Leases live; {@code cert-manager}
         *     if unset
         * @return this builder
         */
        public Builder clusterResourceNamespace(String clusterResourceNamespace) {
            if (this.clusterResourceNamespace != null) {
                throw new IllegalStateException("clusterResourceNamespace was already set on this builder: set it once");
            }
            requireNonNull(clusterResourceNamespace, "clusterResourceNamespace");
            if (clusterResourceNamespace.isBlank()) {
                throw new IllegalArgumentException("clusterResourceNamespace must not be blank");
            }
            this.clusterResourceNamespace = clusterResourceNamespace;
            return this;
        }

        /**
         * Also writes {@code keystore.p12} (the key and chain, alias {@code certificate}) and, when
         * {@code ca.crt} is known, {@code truststore.p12} (alias {@code ca}) into every certificate
         * Secret, in the same update as {@code tls.crt} and {@code tls.key}, as cert-manager's
         * {@code keystores.pkcs12}. Saving fails, and writes nothing, while the password Secret is
         * missing.
         *
         * @param passwordSecretRef the Secret key, in each certificate's namespace, holding the
         *     keystore password
         * @return this builder
         */
        public Builder pkcs12Keystore(SecretKeyRef passwordSecretRef) {
            if (pkcs12Password != null) {
                throw new IllegalStateException("pkcs12Keystore was already set on this builder: set it once");
            }
            this.pkcs12Password = requireNonNull(passwordSecretRef, "passwordSecretRef");
            return this;
        }

        /**
         * Also writes {@code keystore.jks} (the key and chain, alias {@code certificate}, key
         * password equal to the store password, plus the CA as {@code ca} when known) and, when
         * {@code ca.crt} is known, {@code truststore.jks} into every certificate Secret, in the same
         * update as {@code tls.crt} and {@code tls.key}, as cert-manager's {@code keystores.jks}.
         * Saving fails, and writes nothing, while the password Secret is missing.
         *
         * @param passwordSecretRef the Secret key, in each certificate's namespace, holding the
         *     keystore password
         * @return this builder
         */
        public Builder jksKeystore(SecretKeyRef passwordSecretRef) {
            if (jksPassword != null) {
                throw new IllegalStateException("jksKeystore was already set on this builder: set it once");
            }
            this.jksPassword = requireNonNull(passwordSecretRef, "passwordSecretRef");
            return this;
        }

        /** @return a new store */
        public KubernetesSecretStore build() {
            return new KubernetesSecretStore(client,
                    clusterResourceNamespace == null ? DEFAULT_CLUSTER_RESOURCE_NAMESPACE : clusterResourceNamespace,
                    pkcs12Password, jksPassword);
        }
    }
}
