package dev.autocert4j.store.file;

import static dev.autocert4j.store.file.Revisions.DATA_LINK;
import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.lock.FileLockProvider;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.AccountKeys;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.CleanupJournal;
import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.FailureRecords;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps certificates and account keys as PEM files under one root directory, which several
 * processes may share (a volume mounted into several containers, for instance).
 *
 * <h2>Layout</h2>
 * <pre>
 * &lt;root&gt;/certificates/&lt;namespace&gt;/&lt;secretName&gt;/
 *     tls.crt              -&gt; ..data/tls.crt              the chain, PEM, leaf first
 *     tls.key              -&gt; ..data/tls.key              the private key, PEM (mode 0600)
 *     metadata.properties  -&gt; ..data/metadata.properties  specFingerprint, issuerName, revision,
 *                                                          issuedAt, keyAlgorithm, keyEncoding,
 *                                                          revokedAt (when revoked)
 *     ..data               -&gt; ..rev-&lt;revision&gt;-&lt;random&gt;   the current revision
 *     ..rev-&lt;revision&gt;-&lt;random&gt;/                         the three files of one revision
 *     ..lock                                              serialises saves (a file lock)
 *     &lt;file&gt;.damaged-&lt;yyyyMMdd'T'HHmmss'Z'&gt;                 damaged files, moved aside by a load
 * &lt;root&gt;/accounts/&lt;namespace, or _cluster&gt;/&lt;name&gt;.key   account keys, PEM PKCS #8 (mode 0600)
 * &lt;root&gt;/locks/                                           {@link #defaultLockProvider()}'s lock files
 * &lt;root&gt;/cleanups/&lt;sha-256&gt;.properties                     {@linkplain #pendingCleanups() pending cleanups},
 *                                                         one file each, written atomically
 * &lt;root&gt;/failures/&lt;namespace&gt;/&lt;name&gt;.properties        {@linkplain #loadFailures failed issuance attempts}
 *                                                         since the last success, written atomically
 * </pre>
 * The key in {@code tls.key} is written in the certificate's {@code privateKey.encoding}
 * ({@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY} for PKCS1, {@code PRIVATE KEY} for PKCS8;
 * Ed25519 keys always PKCS8). Directories are created with mode 0700 where the file system has
 * POSIX permissions. Web servers can read {@code tls.crt} and {@code tls.key} directly.
 *
 * <h2>Atomicity</h2>
 * A save writes the three files into a fresh revision directory (each file to a temporary file,
 * forced to disk, renamed into place; then the directory is forced), and then switches the
 * {@code ..data} link to it with one atomic rename of a new symbolic link, as Kubernetes'
 * AtomicWriter does for mounted Secrets. A reader therefore sees the old set or the new set,
 * never a mix, also after a crash at any point. The previous revision directory is deleted after
 * the switch; anything left over by a crash (temporary files, revision directories that
 * {@code ..data} does not point at) is removed by the next save. Saves of one certificate are
 * serialised with a lock file, across threads and processes. Account keys are stored with a hard
 * link, which fails when the file exists, so when processes race, all of them get the first key.
 *
 * <h2>Damage</h2>
 * Loading checks that every file parses and that the key belongs to the leaf certificate. Damage
 * is reported once, as a {@link CorruptStoreException} naming the damaged file, after the damaged
 * set has been moved aside to {@code <file>.damaged-<UTC time>} in the certificate's directory
 * (kept for inspection, never deleted); the next load then finds no certificate and the manager
 * issues a new one (see {@link #load}). A damaged account key is reported the same way but left in
 * place, because replacing it means a new ACME account.
 *
 * <p>The store needs
 * symbolic and hard links (Linux, macOS; on Windows only with the right to create symbolic
 * links). Before every order ({@link Preflight}) it checks that the certificate's directory, or the closest
 * of its parents that exists, is a directory this process may write. Thread-safe.
 */
public final class FileCertificateStore implements CertificateStore, AccountKeys, CleanupJournal, FailureRecords, Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(FileCertificateStore.class);

    private final Path root;
    private final FileLockProvider lockProvider;
    private final DamageQuarantine quarantine;
    private final RevisionWriter revisions;
    private final AccountKeyFiles accountKeys;
    private final CleanupJournalFiles cleanups;
    private final FailureRecordFiles failures;
    /** Stamps the names of damaged files moved aside; tests set a fixed clock. */
    volatile Clock clock = Clock.systemUTC();
    /** Runs after the new revision directory is complete and before the switch; tests inject failures here. */
    volatile SaveHook beforeSwitch = revisionDirectory -> { };

    /** A step injected into {@link #save} by tests. */
    interface SaveHook {
        void run(Path revisionDirectory) throws IOException;
    }

    private FileCertificateStore(Path root) {
        this.root = root;
        this.lockProvider = FileLockProvider.of(root.resolve("locks"));
        DurableFiles files = new DurableFiles(root.getFileSystem().supportedFileAttributeViews().contains("posix"));
        // Read through the fields on every use, so that tests can replace the clock and the hook.
        this.quarantine = new DamageQuarantine(files, () -> clock.instant());
        this.revisions = new RevisionWriter(files, quarantine, revision -> beforeSwitch.run(revision));
        this.accountKeys = new AccountKeyFiles(root, files);
        this.cleanups = new CleanupJournalFiles(root, files);
        this.failures = new FailureRecordFiles(root, files, quarantine);
    }

    /**
     * @param root the store's root directory; created with the first save when missing
     * @return a store over that directory
     * @throws IllegalArgumentException when {@code root}, or the closest of its parents that exists,
     *     is not a directory (a regular file, say): nothing could ever be saved there
     */
    public static FileCertificateStore of(Path root) {
        Path absolute = requireNonNull(root, "root").toAbsolutePath().normalize();
        for (Path p = absolute; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new IllegalArgumentException("FileCertificateStore root " + absolute + (p.equals(absolute) ? " is" : " is under " + p
                            + ", which is") + " a file, not a directory: give the path of a directory (it is created when missing)");
                }
                break;
            }
        }
        return new FileCertificateStore(absolute);
    }

    /** @return the root directory */
    public Path root() {
        return root;
    }

    /**
     * @param certificate a certificate
     * @return the directory holding its {@code tls.crt}, {@code tls.key} and
     *     {@code metadata.properties}: {@code <root>/certificates/<namespace>/<secretName>} (the secretName is the name unless set)
     */
    public Path certificateDirectory(Certificate certificate) {
        requireNonNull(certificate, "certificate");
        return root.resolve("certificates").resolve(certificate.namespace()).resolve(certificate.secretName());
    }

    /**
     * @param ref an account key reference
     * @return the file holding that key: {@code <root>/accounts/<namespace or _cluster>/<name>.key}
     */
    public Path accountKeyFile(AccountKeyRef ref) {
        return accountKeys.file(requireNonNull(ref, "ref"));
    }

    // ---------------------------------------------------------------------------------- load

    /**
     * {@inheritDoc}
     *
     * <p>Damaged content (a truncated or garbled {@code tls.crt} or {@code tls.key}, a key that does
     * not belong to the certificate, unreadable {@code metadata.properties}, a missing file, a
     * {@code ..data} entry that is not a link to a revision) is moved aside once, under the save
     * lock: the three files of the damaged revision are renamed to
     * {@code <file>.damaged-<UTC yyyyMMdd'T'HHmmss'Z'>} in the certificate's directory (never
     * deleted; the key keeps mode 0600) and {@code ..data} is removed. This load then throws a
     * {@link CorruptStoreException} (retryable) that names the damaged file and the moved files,
     * and logs it as a warning; the next load returns empty, so {@code CertificateManager.obtain}
     * issues a new certificate. Certificates in other directories are not touched. When the files
     * cannot be moved, the exception is not retryable and says what to delete.
     *
     * @throws CorruptStoreException when the stored content is damaged
     * @throws StoreException when reading fails (retryable)
     */
    @Override
    public Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
        Path directory = certificateDirectory(certificate);
        Path dataLink = directory.resolve(DATA_LINK);
        for (int attempt = 0; ; attempt++) {
            Path target = null;
            Damage damage;
            try {
                target = Revisions.readDataLink(dataLink);
                if (target == null) {
                    return Optional.empty();
                }
                return Optional.of(RevisionReader.read(directory, directory.resolve(target)));
            } catch (NoSuchFileException e) {
                // A concurrent save may have switched ..data and removed the revision we were reading.
                if (attempt < 5 && !target.equals(Revisions.currentTarget(dataLink))) {
                    continue;
                }
                damage = new Damage(directory.resolve(Path.of(e.getFile()).getFileName().toString()),
                        "missing (" + DATA_LINK + " points at " + target + ")", null);
            } catch (IOException e) {
                throw new StoreException("Cannot read certificate " + certificate.id() + " from " + directory + ": " + e,
                        true, e);
            } catch (Damage d) {
                damage = d;
            }
            List<Path> moved;
            try {
                moved = quarantine.moveAside(certificate, directory, target);
            } catch (IOException | StoreException e) {
                throw new CorruptStoreException(damage.describe() + ". It could not be moved aside (" + Messages.describe(e)
                        + "): delete " + directory + " to have the certificate issued again.",
                        damage.file.toString(), List.of(), damage.getCause());
            }
            if (moved == null) {
                if (attempt < 5) {
                    continue; // a save replaced the damaged set meanwhile: read the new one
                }
                throw new CorruptStoreException(damage.describe() + ". It keeps changing while being read; try again.",
                        damage.file.toString(), List.of(), damage.getCause());
            }
            CorruptStoreException corrupt = new CorruptStoreException(damage.describe() + ". Moved "
                    + (moved.size() == 1 ? "it" : "the certificate's files") + " aside to "
                    + String.join(", ", moved.stream().map(Path::toString).toList())
                    + "; the next load finds no certificate, so the manager issues a new one.",
                    damage.file.toString(), moved.stream().map(Path::toString).toList(), damage.getCause());
            LOG.warn("{}: {}", certificate.id(), Messages.describe(corrupt));
            throw corrupt;
        }
    }

    // ---------------------------------------------------------------------------------- save

    @Override
    public void save(Certificate certificate, StoredCertificate stored) throws StoreException {
        requireNonNull(certificate, "certificate");
        requireNonNull(stored, "stored");
        revisions.save(certificate, stored, certificateDirectory(certificate));
    }

    // ---------------------------------------------------------------------------------- account keys

    /**
     * Checks, without writing, that the certificate's directory (or the closest of its parents that exists)
     * is a directory this process may write, so that an issued certificate can be saved.
     *
     * @throws PreflightException naming the path and what to change
     */
    @Override
    public void preflight(PreflightRequest request) throws PreflightException {
        Path directory = certificateDirectory(requireNonNull(request, "request").certificate());
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new PreflightException("The store cannot save " + request.certificate().id() + " under " + directory + ": "
                    + existing + " is not a directory; remove or move it, or give the store another root", false);
        }
        if (!Files.isWritable(existing)) {
            throw new PreflightException("The store cannot save " + request.certificate().id() + " under " + directory + ": "
                    + "this process may not write " + existing + "; make it writable for the application's user "
                    + "(or mount the volume read-write)", true);
        }
    }

    @Override
    public Optional<KeyPair> loadAccountKey(AccountKeyRef ref) throws StoreException {
        return accountKeys.load(requireNonNull(ref, "ref"));
    }

    @Override
    public KeyPair saveAccountKeyIfAbsent(AccountKeyRef ref, KeyPair candidate) throws StoreException {
        requireNonNull(ref, "ref");
        requireNonNull(candidate, "candidate");
        return accountKeys.saveIfAbsent(ref, candidate);
    }

    // ---------------------------------------------------------------------------------- pending cleanups

    /** One file per entry, named by the SHA-256 of its content, written to a temporary file and renamed. */
    @Override
    public void recordPendingCleanup(PendingCleanup cleanup) throws StoreException {
        cleanups.record(requireNonNull(cleanup, "cleanup"));
    }

    @Override
    public void removePendingCleanup(PendingCleanup cleanup) throws StoreException {
        cleanups.remove(requireNonNull(cleanup, "cleanup"));
    }

    @Override
    public List<PendingCleanup> pendingCleanups() throws StoreException {
        return cleanups.list();
    }

    // ---------------------------------------------------------------------------------- failures

    @Override
    public Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
        return failures.load(requireNonNull(certificate, "certificate"));
    }

    /** Written to a temporary file and renamed over the previous one. */
    @Override
    public void saveFailures(Certificate certificate, IssuanceFailures failures) throws StoreException {
        requireNonNull(failures, "failures");
        this.failures.save(requireNonNull(certificate, "certificate"), failures);
    }

    @Override
    public void clearFailures(Certificate certificate) throws StoreException {
        failures.clear(requireNonNull(certificate, "certificate"));
    }

    // ---------------------------------------------------------------------------------- locks

    /** @return a {@link FileLockProvider} over {@code <root>/locks}, which coordinates every process sharing the root */
    @Override
    public LockProvider defaultLockProvider() {
        return lockProvider;
    }

    @Override
    public String toString() {
        return "FileCertificateStore[" + root + "]";
    }
}
