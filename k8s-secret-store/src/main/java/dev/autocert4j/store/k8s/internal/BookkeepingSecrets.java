package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.Certificate;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's bookkeeping Secrets (Opaque, created on first use): the journal of challenge records
 * still to delete, one data entry per cleanup in {@value #CLEANUPS_SECRET} of the cluster resource
 * namespace; and the failed issuance attempts, one annotation per certificate in
 * {@value #FAILURES_SECRET} of the certificate's namespace. Written with the resourceVersion read,
 * retried on conflict. Thread-safe.
 */
public final class BookkeepingSecrets {
    /** The store's category, so that one logger setting covers every store message. */
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesSecretStore.class);
    /** The Secret, in the cluster resource namespace, that journals challenge records still to delete. */
    public static final String CLEANUPS_SECRET = "autocert4j-pending-cleanups";
    /** The Secret, in each certificate's namespace, whose annotations hold the failed issuance attempts. */
    public static final String FAILURES_SECRET = "autocert4j-issuance-failures";
    private static final String FAILURES_NAME_PART = "failures.";
    /** Kubernetes' limit on the name part (after the '/') of an annotation key. */
    static final int MAX_NAME_PART = 63;

    private final SecretWriter secrets;
    private final String clusterResourceNamespace;

    /**
     * @param secrets reads and writes the Secrets
     * @param clusterResourceNamespace where the cleanup journal lives
     */
    public BookkeepingSecrets(SecretWriter secrets, String clusterResourceNamespace) {
        this.secrets = secrets;
        this.clusterResourceNamespace = clusterResourceNamespace;
    }

    /**
     * @param cleanup a cleanup to journal
     * @throws StoreException when the journal cannot be written
     */
    public void recordPendingCleanup(PendingCleanup cleanup) throws StoreException {
        changeCleanups(entries -> entries.put(cleanupKey(cleanup), SecretCodec.encode(cleanupText(cleanup))));
    }

    /**
     * @param cleanup a journaled cleanup that is done
     * @throws StoreException when the journal cannot be written
     */
    public void removePendingCleanup(PendingCleanup cleanup) throws StoreException {
        changeCleanups(entries -> entries.remove(cleanupKey(cleanup)));
    }

    /**
     * @return the journaled cleanups, in key order
     * @throws StoreException when the journal cannot be read or an entry is damaged
     */
    public List<PendingCleanup> pendingCleanups() throws StoreException {
        Secret secret = secrets.get(clusterResourceNamespace, CLEANUPS_SECRET);
        if (secret == null || secret.getData() == null) {
            return List.of();
        }
        List<PendingCleanup> out = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(secret.getData()).entrySet()) {
            String[] parts = SecretCodec.decode(e.getValue()).split("\n", 3);
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
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cleanupText(c).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Reads the annotation {@code autocert4j.dev/failures.<name>}: in annotations, not data, and
     * outside the certificate's own Secret, which may not exist yet when the first issuance fails.
     * A damaged entry counts as none (only a backoff is lost) and is logged.
     *
     * @param certificate the certificate
     * @return its failures, or empty
     * @throws StoreException when the Secret cannot be read
     */
    public Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
        Secret secret = secrets.get(certificate.namespace(), FAILURES_SECRET);
        String text = secret == null ? null : SecretCodec.annotations(secret).get(failureKey(certificate.name()));
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split("\n", 5);
        try {
            return Optional.of(new IssuanceFailures(parts[0], Integer.parseInt(parts[1]), Instant.parse(parts[2]),
                    Instant.parse(parts[3]), parts.length > 4 ? parts[4] : ""));
        } catch (RuntimeException e) {
            LOG.warn("Secret {}/{} annotation {} is damaged ({}); {} is retried without a backoff", certificate.namespace(),
                    FAILURES_SECRET, failureKey(certificate.name()), e.getMessage(), certificate.id());
            return Optional.empty();
        }
    }

    /**
     * @param certificate the certificate
     * @param failures its failures so far
     * @throws StoreException when the Secret cannot be written
     */
    public void saveFailures(Certificate certificate, IssuanceFailures failures) throws StoreException {
        String text = failures.specFingerprint() + "\n" + failures.attempts() + "\n" + failures.lastFailureTime() + "\n"
                + failures.nextAttempt() + "\n" + failures.lastMessage();
        changeFailures(certificate.namespace(), entries -> entries.put(failureKey(certificate.name()), text));
    }

    /**
     * @param certificate the certificate whose failures are over
     * @throws StoreException when the Secret cannot be read or written
     */
    public void clearFailures(Certificate certificate) throws StoreException {
        Secret secret = secrets.get(certificate.namespace(), FAILURES_SECRET);
        if (secret != null && SecretCodec.annotations(secret).containsKey(failureKey(certificate.name()))) {
            changeFailures(certificate.namespace(), entries -> entries.remove(failureKey(certificate.name())));
        }
    }

    /**
     * The annotation key of a certificate's failures: {@code autocert4j.dev/failures.<name>}, or for
     * a name too long for the 63-character name part of an annotation key, the name's first 37
     * characters, '-' and 16 hex digits of its SHA-256 (a name may have 253 characters).
     *
     * @param certificateName a valid certificate (object) name
     * @return the key, its name part at most 63 characters
     */
    static String failureKey(String certificateName) {
        String namePart = FAILURES_NAME_PART + certificateName;
        if (namePart.length() <= MAX_NAME_PART) {
            return KubernetesSecretStore.PREFIX + namePart;
        }
        String hash = HexFormat.of().formatHex(sha256(certificateName), 0, 8);
        int keep = MAX_NAME_PART - FAILURES_NAME_PART.length() - 1 - hash.length();
        return KubernetesSecretStore.PREFIX + FAILURES_NAME_PART + certificateName.substring(0, keep) + "-" + hash;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private void changeCleanups(Consumer<Map<String, String>> change) throws StoreException {
        change(clusterResourceNamespace, CLEANUPS_SECRET, false, "challenge records still to delete", change);
    }

    private void changeFailures(String namespace, Consumer<Map<String, String>> change) throws StoreException {
        change(namespace, FAILURES_SECRET, true, "failed issuance attempts, for the backoff", change);
    }

    /** Changes the entries of one bookkeeping Secret: its data or its annotations. */
    private void change(String namespace, String name, boolean inAnnotations, String purpose,
            Consumer<Map<String, String>> change) throws StoreException {
        secrets.write(namespace, name, () -> { }, current -> {
            Map<String, String> before = current == null ? Map.of()
                    : inAnnotations ? SecretCodec.annotations(current) : current.getData() == null ? Map.of() : current.getData();
            Map<String, String> entries = new LinkedHashMap<>(before);
            change.accept(entries);
            if (current == null) {
                Map<String, String> annotations = new LinkedHashMap<>(inAnnotations ? entries : Map.of());
                annotations.put(KubernetesSecretStore.PREFIX + "purpose", purpose);
                return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .withAnnotations(annotations).endMetadata().withType("Opaque")
                        .withData(inAnnotations ? Map.of() : entries).build();
            }
            if (inAnnotations) {
                return new SecretBuilder(current).editMetadata().withAnnotations(entries).endMetadata().build();
            }
            return new SecretBuilder(current).withData(entries).build();
        });
    }
}
