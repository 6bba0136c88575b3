package dev.autocert4j.store.file;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.internal.engine.FileMutex;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.lock.FileLockProvider;
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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
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
 *                                                          issuedAt, keyAlgorithm, keyEncoding
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
 * links). Thread-safe.
 */
public final class FileCertificateStore implements CertificateStore, AccountKeys, CleanupJournal, FailureRecords {
    private static final Logger LOG = LoggerFactory.getLogger(FileCertificateStore.class);

    static final String CERTIFICATE_FILE = "tls.crt";
    static final String KEY_FILE = "tls.key";
    static final String METADATA_FILE = "metadata.properties";
    static final String DATA_LINK = "..data";
    static final String REVISION_PREFIX = "..rev-";
    static final String TEMP_PREFIX = "..tmp-";
    static final String SAVE_LOCK = "..lock";
    static final String CLUSTER_NAMESPACE_DIRECTORY = "_cluster";
    static final String CLEANUPS_DIRECTORY = "cleanups";
    static final String FAILURES_DIRECTORY = "failures";
    private static final List<String> FILES = List.of(CERTIFICATE_FILE, KEY_FILE, METADATA_FILE);
    private static final Duration SAVE_LOCK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);
    private static final int FORMAT = 1;
    static final String DAMAGED_INFIX = ".damaged-";
    private static final DateTimeFormatter DAMAGED_STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path root;
    private final boolean posix;
    private final FileLockProvider lockProvider;
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
        this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
        this.lockProvider = FileLockProvider.of(root.resolve("locks"));
    }

    /**
     * @param root the store's root directory; created with the first save when missing
     * @return a store over that directory
     */
    public static FileCertificateStore of(Path root) {
        return new FileCertificateStore(requireNonNull(root, "root").toAbsolutePath().normalize());
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
        requireNonNull(ref, "ref");
        return root.resolve("accounts").resolve(ref.namespace().orElse(CLUSTER_NAMESPACE_DIRECTORY))
                .resolve(ref.name() + ".key");
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
                target = readDataLink(dataLink);
                if (target == null) {
                    return Optional.empty();
                }
                return Optional.of(read(directory, directory.resolve(target)));
            } catch (NoSuchFileException e) {
                // A concurrent save may have switched ..data and removed the revision we were reading.
                if (attempt < 5 && !target.equals(currentTarget(dataLink))) {
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
                moved = moveAside(certificate, directory, target);
            } catch (IOException | StoreException e) {
                throw new CorruptStoreException(damage.describe() + ". It could not be moved aside (" + e.getMessage()
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
            LOG.warn("{}: {}", certificate.id(), corrupt.getMessage());
            throw corrupt;
        }
    }

    /** @return the link's target, a revision directory name; null when there is no ..data link */
    private static Path readDataLink(Path dataLink) throws StoreException, Damage {
        Path target;
        try {
            target = Files.readSymbolicLink(dataLink);
        } catch (NoSuchFileException e) {
            return null;
        } catch (NotLinkException e) {
            throw new Damage(dataLink, "is not a symbolic link", e);
        } catch (IOException e) {
            throw new StoreException("Cannot read " + dataLink + ": " + e, true, e);
        }
        if (target.getNameCount() != 1 || !target.toString().startsWith(REVISION_PREFIX)) {
            throw new Damage(dataLink, "points at " + target + ", not at a revision directory", null);
        }
        return target;
    }

    /** @return where ..data points now, whatever it is; null when it is missing or not a link */
    private static Path currentTarget(Path dataLink) throws StoreException {
        try {
            return Files.readSymbolicLink(dataLink);
        } catch (NoSuchFileException | NotLinkException e) {
            return null;
        } catch (IOException e) {
            throw new StoreException("Cannot read " + dataLink + ": " + e, true, e);
        }
    }

    private StoredCertificate read(Path directory, Path revision) throws IOException, Damage {
        CertificateMetadata metadata = parseMetadata(directory.resolve(METADATA_FILE),
                Files.readAllBytes(revision.resolve(METADATA_FILE)));
        String chainPem = new String(Files.readAllBytes(revision.resolve(CERTIFICATE_FILE)), StandardCharsets.ISO_8859_1);
        String keyPem = new String(Files.readAllBytes(revision.resolve(KEY_FILE)), StandardCharsets.ISO_8859_1);
        List<X509Certificate> chain;
        try {
            chain = Pem.decodeChain(chainPem);
        } catch (Pem.InvalidPemException e) {
            throw new Damage(directory.resolve(CERTIFICATE_FILE), e.getMessage(), e);
        }
        KeyPair keyPair;
        try {
            keyPair = Pem.decodeKeyPair(keyPem);
        } catch (Pem.InvalidPemException e) {
            throw new Damage(directory.resolve(KEY_FILE), e.getMessage(), e);
        }
        if (!Arrays.equals(chain.get(0).getPublicKey().getEncoded(), keyPair.getPublic().getEncoded())) {
            throw new Damage(directory.resolve(KEY_FILE), "holds a key that does not belong to the leaf certificate in "
                    + CERTIFICATE_FILE, null);
        }
        return new StoredCertificate(chain, keyPair, metadata);
    }

    private static CertificateMetadata parseMetadata(Path file, byte[] bytes) throws Damage {
        Properties properties = new Properties();
        try {
            properties.load(new ByteArrayInputStream(bytes));
        } catch (IOException | IllegalArgumentException e) {
            throw new Damage(file, "is not a properties file: " + e.getMessage(), e);
        }
        try {
            return new CertificateMetadata(required(properties, "specFingerprint"), required(properties, "issuerName"),
                    Integer.parseInt(required(properties, "revision")),
                    Instant.parse(required(properties, "issuedAt")));
        } catch (NoSuchFieldException e) {
            throw new Damage(file, "lacks the property " + e.getMessage(), null);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new Damage(file, "has an invalid value: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new Damage(file, e.getMessage(), e);
        }
    }

    private static String required(Properties properties, String name) throws NoSuchFieldException {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new NoSuchFieldException(name);
        }
        return value;
    }

    /** Damaged content found while reading: which file, and what is wrong with it (never key material). */
    private static final class Damage extends Exception {
        private static final long serialVersionUID = 1L;

        final transient Path file;

        Damage(Path file, String what, Throwable cause) {
            super(what, cause, false, false);
            this.file = file;
        }

        String describe() {
            return "Damaged store file " + file + ": " + getMessage();
        }
    }

    /**
     * Moves a damaged set aside under the save lock, unless a save replaced it meanwhile.
     *
     * @param seen the revision ..data pointed at when the damage was found; null when ..data itself is damaged
     * @return the new names of what was moved; null when the damaged set is no longer current
     */
    private List<Path> moveAside(Certificate certificate, Path directory, Path seen) throws IOException, StoreException {
        LockProvider.Lock lock;
        try {
            lock = FileMutex.acquire(directory.resolve(SAVE_LOCK), SAVE_LOCK_TIMEOUT,
                    "moving aside the damaged files of certificate " + certificate.id());
        } catch (AutocertException e) {
            throw new StoreException(e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the save lock", true, e);
        }
        try {
            return moveAsideLocked(directory, seen);
        } finally {
            lock.close();
        }
    }

    private List<Path> moveAsideLocked(Path directory, Path seen) throws IOException, StoreException {
        Path dataLink = directory.resolve(DATA_LINK);
        String stamp = DAMAGED_STAMP.format(clock.instant());
        if (seen == null) {
            if (!Files.exists(dataLink, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            try {
                readDataLink(dataLink);
                return null; // a save repaired it meanwhile
            } catch (Damage stillDamaged) {
                List<Path> moved = List.of(moveAsideOne(dataLink, directory, DATA_LINK, stamp));
                forceDirectory(directory);
                return moved;
            }
        }
        if (!seen.equals(currentTarget(dataLink))) {
            return null;
        }
        Path revision = directory.resolve(seen);
        List<Path> moved = new ArrayList<>();
        // Files first, then the link: a crash in between leaves a set with missing files, which the
        // next load moves aside in turn; the other order would leave the damaged revision to be
        // deleted as a leftover by the next save.
        for (String file : FILES) {
            Path source = revision.resolve(file);
            if (Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                moved.add(moveAsideOne(source, directory, file, stamp));
            }
        }
        if (moved.isEmpty()) {
            // The revision directory itself is gone: keep the link that pointed at it, as the record.
            moved.add(moveAsideOne(dataLink, directory, DATA_LINK, stamp));
        } else {
            Files.delete(dataLink);
        }
        forceDirectory(directory);
        deleteQuietly(revision);
        return moved;
    }

    /** Renames {@code source} to {@code <name>.damaged-<stamp>} in {@code directory}, never replacing anything. */
    private static Path moveAsideOne(Path source, Path directory, String name, String stamp) throws IOException {
        for (int i = 1; ; i++) {
            Path target = directory.resolve(name + DAMAGED_INFIX + stamp + (i == 1 ? "" : "-" + i));
            try {
                return Files.move(source, target);
            } catch (FileAlreadyExistsException e) {
                if (i >= 100) {
                    throw e;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------- save

    @Override
    public void save(Certificate certificate, StoredCertificate stored) throws StoreException {
        requireNonNull(certificate, "certificate");
        requireNonNull(stored, "stored");
        String algorithm = stored.keyPair().getPrivate().getAlgorithm();
        KeyEncoding encoding = "RSA".equals(algorithm) || "EC".equals(algorithm)
                ? certificate.privateKey().encoding() : KeyEncoding.PKCS8;
        byte[] chainPem;
        byte[] keyPem;
        try {
            chainPem = Pem.encodeChain(stored.chain()).getBytes(StandardCharsets.US_ASCII);
            keyPem = Pem.encodePrivateKey(stored.keyPair().getPrivate(), encoding).getBytes(StandardCharsets.US_ASCII);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot encode certificate " + certificate.id() + " as PEM: " + e.getMessage(), false, e);
        }
        byte[] metadata = metadataBytes(stored.metadata(), algorithm, encoding);

        Path directory = certificateDirectory(certificate);
        try {
            createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("Cannot create directory " + directory + ": " + e, true, e);
        }
        LockProvider.Lock lock;
        try {
            lock = FileMutex.acquire(directory.resolve(SAVE_LOCK), SAVE_LOCK_TIMEOUT,
                    "save of certificate " + certificate.id());
        } catch (AutocertException e) {
            throw new StoreException(e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting to save certificate " + certificate.id(), true, e);
        }
        try {
            saveLocked(directory, stored.metadata().revision(), chainPem, keyPem, metadata);
        } catch (IOException e) {
            throw new StoreException("Cannot save certificate " + certificate.id() + " in " + directory
                    + " (the previous certificate is intact): " + e, true, e);
        } finally {
            lock.close();
        }
    }

    private void saveLocked(Path directory, int revisionNumber, byte[] chain, byte[] key, byte[] metadata)
            throws IOException, StoreException {
        Path dataLink = directory.resolve(DATA_LINK);
        Path previous;
        try {
            previous = readDataLink(dataLink);
        } catch (Damage damage) {
            List<Path> moved = moveAsideLocked(directory, null);
            LOG.warn("{}; moved it aside to {} and saving a new revision", damage.describe(), moved);
            previous = null;
        }
        removeLeftovers(directory, previous);

        String revisionName = REVISION_PREFIX + revisionNumber + "-" + random();
        Path revision = directory.resolve(revisionName);
        boolean switched = false;
        try {
            createDirectory(revision);
            writeInto(directory, revision, CERTIFICATE_FILE, chain, "rw-r--r--");
            writeInto(directory, revision, KEY_FILE, key, "rw-------");
            writeInto(directory, revision, METADATA_FILE, metadata, "rw-r--r--");
            forceDirectory(revision);
            beforeSwitch.run(revision);

            Path newLink = directory.resolve(TEMP_PREFIX + random() + ".link");
            Files.createSymbolicLink(newLink, Path.of(revisionName));
            try {
                Files.move(newLink, dataLink, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(newLink);
                throw e;
            }
            switched = true;
        } finally {
            if (!switched) {
                deleteQuietly(revision);
            }
        }
        // The new set is live from here: the save has succeeded, what follows only tidies up, so
        // a failure is logged rather than reported as a failed save.
        try {
            for (String file : FILES) {
                Path link = directory.resolve(file);
                if (!Files.isSymbolicLink(link)) {
                    Path newLink = directory.resolve(TEMP_PREFIX + random() + ".link");
                    Files.createSymbolicLink(newLink, Path.of(DATA_LINK, file));
                    Files.move(newLink, link, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            forceDirectory(directory);
        } catch (IOException e) {
            LOG.warn("Saved {} in {}, but could not update the links to it: {}", revisionName, directory, e.toString());
        }
        if (previous != null && !previous.toString().equals(revisionName)) {
            deleteQuietly(directory.resolve(previous));
        }
    }

    private void removeLeftovers(Path directory, Path current) throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean staleRevision = name.startsWith(REVISION_PREFIX)
                        && (current == null || !name.equals(current.toString()));
                if (staleRevision || name.startsWith(TEMP_PREFIX)) {
                    leftovers.add(entry);
                }
            }
        }
        for (Path leftover : leftovers) {
            LOG.debug("Removing leftover {} of an interrupted save", leftover);
            deleteQuietly(leftover);
        }
    }

    private void writeInto(Path directory, Path revision, String name, byte[] content, String mode) throws IOException {
        Path temp = directory.resolve(TEMP_PREFIX + random() + "-" + name);
        try {
            writeDurably(temp, content, mode);
            Files.move(temp, revision.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void writeDurably(Path file, byte[] content, String mode) throws IOException {
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        } else {
            Files.createFile(file);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static byte[] metadataBytes(CertificateMetadata metadata, String keyAlgorithm, KeyEncoding encoding) {
        Properties properties = new Properties();
        properties.setProperty("format", Integer.toString(FORMAT));
        properties.setProperty("specFingerprint", metadata.specFingerprint());
        properties.setProperty("issuerName", metadata.issuerName());
        properties.setProperty("revision", Integer.toString(metadata.revision()));
        properties.setProperty("issuedAt", metadata.issuedAt().toString());
        properties.setProperty("keyAlgorithm", keyAlgorithm);
        properties.setProperty("keyEncoding", encoding.name());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            properties.store(out, "autocert4j certificate metadata");
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        // Drop the date comment Properties.store adds, so the file depends on the content only.
        String text = out.toString(StandardCharsets.ISO_8859_1);
        StringBuilder kept = new StringBuilder();
        text.lines().filter(line -> !line.startsWith("#") || line.contains("autocert4j"))
                .sorted(Comparator.comparing((String line) -> !line.startsWith("#")).thenComparing(Comparator.naturalOrder()))
                .forEach(line -> kept.append(line).append('\n'));
        return kept.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------------------------- account keys

    @Override
    public Optional<KeyPair> loadAccountKey(AccountKeyRef ref) throws StoreException {
        Path file = accountKeyFile(ref);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("Cannot read account key " + file + ": " + e, true, e);
        }
        try {
            return Optional.of(Pem.decodeKeyPair(new String(bytes, StandardCharsets.ISO_8859_1)));
        } catch (Pem.InvalidPemException e) {
            // Not moved aside: without it the issuer would silently register a new ACME account.
            throw new CorruptStoreException("Damaged store file " + file + ": " + e.getMessage()
                    + ". Restore the account key from a backup, or delete the file to have a new key (and ACME account) "
                    + "created.", file.toString(), List.of(), e);
        }
    }

    @Override
    public KeyPair saveAccountKeyIfAbsent(AccountKeyRef ref, KeyPair candidate) throws StoreException {
        requireNonNull(ref, "ref");
        requireNonNull(candidate, "candidate");
        Optional<KeyPair> existing = loadAccountKey(ref);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] pem;
        try {
            pem = Pem.encodePrivateKey(candidate.getPrivate(), KeyEncoding.PKCS8).getBytes(StandardCharsets.US_ASCII);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot encode account key " + ref.id() + " as PEM: " + e.getMessage(), false, e);
        }
        Path file = accountKeyFile(ref);
        Path directory = file.getParent();
        Path temp = directory.resolve(TEMP_PREFIX + random() + ".key");
        try {
            createDirectories(directory);
            removeStaleTemporaryFiles(directory);
            writeDurably(temp, pem, "rw-------");
            try {
                Files.createLink(file, temp); // fails if another process stored a key first
            } catch (FileAlreadyExistsException e) {
                return loadAccountKey(ref).orElseThrow(() -> new StoreException(
                        "Account key " + file + " vanished while being stored; try again", true, e));
            }
            forceDirectory(directory);
            return candidate;
        } catch (IOException | UnsupportedOperationException e) {
            throw new StoreException("Cannot store account key " + file + ": " + e, true, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Temporary files of a save that crashed; young ones may belong to a save in progress. */
    private void removeStaleTemporaryFiles(Path directory) throws IOException {
        FileTime limit = FileTime.from(Instant.now().minus(STALE_TEMP_AGE));
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, TEMP_PREFIX + "*")) {
            for (Path entry : entries) {
                try {
                    if (Files.getLastModifiedTime(entry).compareTo(limit) < 0) {
                        stale.add(entry);
                    }
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        }
        stale.forEach(FileCertificateStore::deleteQuietly);
    }

    // ---------------------------------------------------------------------------------- pending cleanups

    /** One file per entry, named by the SHA-256 of its content, written to a temporary file and renamed. */
    @Override
    public void recordPendingCleanup(PendingCleanup cleanup) throws StoreException {
        requireNonNull(cleanup, "cleanup");
        Path directory = root.resolve(CLEANUPS_DIRECTORY);
        Properties properties = new Properties();
        properties.setProperty("certificateId", cleanup.certificateId());
        properties.setProperty("solverId", cleanup.solverId());
        properties.setProperty("handle", cleanup.handle());
        try {
            writePropertiesAtomically(cleanupFile(cleanup), properties);
        } catch (IOException e) {
            throw new StoreException("Cannot record a pending cleanup of " + cleanup.certificateId() + " in " + directory
                    + ": " + e, true, e);
        }
    }

    /**
     * Writes properties to a temporary file in the target's directory (owner-only, forced to disk)
     * and renames it over the target, so a reader sees the old or the new content, never a part.
     */
    private void writePropertiesAtomically(Path file, Properties properties) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        properties.store(out, null);
        Path temp = file.resolveSibling(TEMP_PREFIX + random() + ".properties");
        try {
            createDirectories(file.getParent());
            writeDurably(temp, out.toByteArray(), "rw-------");
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(file.getParent());
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public void removePendingCleanup(PendingCleanup cleanup) throws StoreException {
        requireNonNull(cleanup, "cleanup");
        Path file = cleanupFile(cleanup);
        try {
            if (Files.deleteIfExists(file)) {
                forceDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new StoreException("Cannot remove the pending cleanup " + file + ": " + e, true, e);
        }
    }

    @Override
    public List<PendingCleanup> pendingCleanups() throws StoreException {
        Path directory = root.resolve(CLEANUPS_DIRECTORY);
        List<PendingCleanup> result = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "[!.]*.properties")) {
            for (Path file : files) {
                Properties properties = new Properties();
                try {
                    properties.load(new ByteArrayInputStream(Files.readAllBytes(file)));
                    result.add(new PendingCleanup(required(properties, "certificateId"), required(properties, "solverId"),
                            required(properties, "handle")));
                } catch (NoSuchFileException e) {
                    // removed while we listed
                } catch (NoSuchFieldException e) {
                    throw new StoreException("Damaged store file " + file + ": lacks the property " + e.getMessage()
                            + ". Delete it (and remove the DNS record it names by hand, if any).", false, null);
                } catch (IllegalArgumentException e) {
                    throw new StoreException("Damaged store file " + file + ": " + e.getMessage(), false, e);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StoreException("Cannot read the pending cleanups in " + directory + ": " + e, true, e);
        }
        return result;
    }

    private Path cleanupFile(PendingCleanup cleanup) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (String part : List.of(cleanup.certificateId(), cleanup.solverId(), cleanup.handle())) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return root.resolve(CLEANUPS_DIRECTORY).resolve(java.util.HexFormat.of().formatHex(digest.digest()) + ".properties");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    // ---------------------------------------------------------------------------------- failures

    /** @return {@code <root>/failures/<namespace>/<name>.properties} */
    private Path failuresFile(Certificate certificate) {
        return root.resolve(FAILURES_DIRECTORY).resolve(certificate.namespace()).resolve(certificate.name() + ".properties");
    }

    @Override
    public Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
        Path file = failuresFile(requireNonNull(certificate, "certificate"));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("Cannot read " + file + ": " + e, true, e);
        }
        Properties properties = new Properties();
        try {
            properties.load(new ByteArrayInputStream(bytes));
            return Optional.of(new IssuanceFailures(required(properties, "specFingerprint"),
                    Integer.parseInt(required(properties, "attempts")), Instant.parse(required(properties, "lastFailureTime")),
                    Instant.parse(required(properties, "nextAttempt")), properties.getProperty("lastMessage", "")));
        } catch (NoSuchFieldException | IOException | DateTimeParseException | IllegalArgumentException e) {
            // Only a backoff is lost: keep the file for a look, and let the certificate be tried now.
            String reason = e instanceof NoSuchFieldException ? "lacks the property " + e.getMessage() : e.getMessage();
            try {
                Path aside = moveAsideOne(file, file.getParent(), file.getFileName().toString(),
                        DAMAGED_STAMP.format(clock.instant()));
                LOG.warn("Damaged store file {} ({}): moved aside to {}; {} is retried without a backoff", file, reason,
                        aside, certificate.id());
                return Optional.empty();
            } catch (NoSuchFileException gone) {
                return Optional.empty(); // another process moved it first
            } catch (IOException move) {
                throw new StoreException("Damaged store file " + file + " (" + reason + "), and it cannot be moved aside: "
                        + move + ". Delete it: the certificate is then retried at once.", false, move);
            }
        }
    }

    /** Written to a temporary file and renamed over the previous one. */
    @Override
    public void saveFailures(Certificate certificate, IssuanceFailures failures) throws StoreException {
        requireNonNull(failures, "failures");
        Path file = failuresFile(requireNonNull(certificate, "certificate"));
        Properties properties = new Properties();
        properties.setProperty("specFingerprint", failures.specFingerprint());
        properties.setProperty("attempts", Integer.toString(failures.attempts()));
        properties.setProperty("lastFailureTime", failures.lastFailureTime().toString());
        properties.setProperty("nextAttempt", failures.nextAttempt().toString());
        properties.setProperty("lastMessage", failures.lastMessage());
        try {
            writePropertiesAtomically(file, properties);
        } catch (IOException e) {
            throw new StoreException("Cannot record the failures of " + certificate.id() + " in " + file + ": " + e, true, e);
        }
    }

    @Override
    public void clearFailures(Certificate certificate) throws StoreException {
        Path file = failuresFile(requireNonNull(certificate, "certificate"));
        try {
            if (Files.deleteIfExists(file)) {
                forceDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new StoreException("Cannot remove " + file + ": " + e, true, e);
        }
    }

    // ---------------------------------------------------------------------------------- locks

    /** @return a {@link FileLockProvider} over {@code <root>/locks}, which coordinates every process sharing the root */
    @Override
    public LockProvider defaultLockProvider() {
        return lockProvider;
    }

    // ---------------------------------------------------------------------------------- helpers

    private void createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (posix) {
            Files.createDirectories(directory, ownerOnlyDirectory());
        } else {
            Files.createDirectories(directory);
        }
    }

    private void createDirectory(Path directory) throws IOException {
        if (posix) {
            Files.createDirectory(directory, ownerOnlyDirectory());
        } else {
            Files.createDirectory(directory);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnlyDirectory() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }

    private void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (posix) {
                throw e;
            }
            // Windows cannot open a directory as a file; its renames are durable on their own.
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            } else {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not delete {}: {}", path, e.toString());
        }
    }

    private static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    @Override
    public String toString() {
        return "FileCertificateStore[" + root + "]";
    }
}
