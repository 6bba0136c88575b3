package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.issuer.AccountKeyRef;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps certificates and account keys in memory, for tests and for applications that obtain
 * their certificates anew at every start (mind the CA's rate limits). Certificates are keyed by
 * {@link Certificate#id() namespace/name}, account keys by {@link AccountKeyRef#id()}.
 *
 * <p>It keeps the objects it was given and parses nothing, so it never finds damaged content (no
 * {@link dev.autocert4j.store.CorruptStoreException}).
 *
 * <p>Thread-safe: every operation is atomic. Coordinates the threads of this JVM only, so its
 * {@link #defaultLockProvider()} is the in-JVM one.
 */
public final class InMemoryCertificateStore implements CertificateStore, AccountKeys, CleanupJournal, FailureRecords {
    private final ConcurrentHashMap<String, StoredCertificate> certificates = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, KeyPair> accountKeys = new ConcurrentHashMap<>();
    private final Set<PendingCleanup> cleanups = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, IssuanceFailures> failures = new ConcurrentHashMap<>();

    /** Creates an empty store. */
    public InMemoryCertificateStore() {
    }

    @Override
    public Optional<StoredCertificate> load(Certificate certificate) {
        requireNonNull(certificate, "certificate");
        return Optional.ofNullable(certificates.get(key(certificate)));
    }

    @Override
    public void save(Certificate certificate, StoredCertificate stored) {
        requireNonNull(certificate, "certificate");
        requireNonNull(stored, "stored");
        certificates.put(key(certificate), stored);
    }

    @Override
    public Optional<KeyPair> loadAccountKey(AccountKeyRef ref) {
        requireNonNull(ref, "ref");
        return Optional.ofNullable(accountKeys.get(ref.id()));
    }

    @Override
    public KeyPair saveAccountKeyIfAbsent(AccountKeyRef ref, KeyPair candidate) {
        requireNonNull(ref, "ref");
        requireNonNull(candidate, "candidate");
        KeyPair existing = accountKeys.putIfAbsent(ref.id(), candidate);
        return existing == null ? candidate : existing;
    }

    @Override
    public void recordPendingCleanup(PendingCleanup cleanup) {
        cleanups.add(requireNonNull(cleanup, "cleanup"));
    }

    @Override
    public void removePendingCleanup(PendingCleanup cleanup) {
        cleanups.remove(requireNonNull(cleanup, "cleanup"));
    }

    @Override
    public List<PendingCleanup> pendingCleanups() {
        return List.copyOf(cleanups);
    }

    @Override
    public Optional<IssuanceFailures> loadFailures(Certificate certificate) {
        return Optional.ofNullable(failures.get(requireNonNull(certificate, "certificate").id()));
    }

    @Override
    public void saveFailures(Certificate certificate, IssuanceFailures failures) {
        this.failures.put(requireNonNull(certificate, "certificate").id(), requireNonNull(failures, "failures"));
    }

    @Override
    public void clearFailures(Certificate certificate) {
        failures.remove(requireNonNull(certificate, "certificate").id());
    }

    @Override
    public String toString() {
        return "InMemoryCertificateStore[certificates=" + certificates.size() + ", accountKeys=" + accountKeys.size() + "]";
    }

    /** The store key: namespace and secretName, as {@link CertificateStore} requires. */
    private static String key(Certificate certificate) {
        return certificate.namespace() + "/" + certificate.secretName();
    }
}
