package dev.autocert4j.store.file;

import static dev.autocert4j.store.file.DurableFiles.TEMP_PREFIX;
import static dev.autocert4j.store.file.DurableFiles.deleteQuietly;
import static dev.autocert4j.store.file.DurableFiles.random;

import dev.autocert4j.KeyEncoding;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Account keys as {@code <root>/accounts/<namespace, or _cluster>/<name>.key}, PEM PKCS #8, mode
 * 0600. A key is stored with a hard link, which fails when the file exists, so when processes race,
 * all of them get the first key. Thread-safe.
 */
final class AccountKeyFiles {
    static final String CLUSTER_NAMESPACE_DIRECTORY = "_cluster";
    private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);

    private final Path root;
    private final DurableFiles files;

    AccountKeyFiles(Path root, DurableFiles files) {
        this.root = root;
        this.files = files;
    }

    /** @return {@code <root>/accounts/<namespace or _cluster>/<name>.key} */
    Path file(AccountKeyRef ref) {
        return root.resolve("accounts").resolve(ref.namespace().orElse(CLUSTER_NAMESPACE_DIRECTORY))
                .resolve(ref.name() + ".key");
    }

    Optional<KeyPair> load(AccountKeyRef ref) throws StoreException {
        Path file = file(ref);
        Optional<byte[]> bytes = DurableFiles.readIfPresent(file, "account key");
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.decodeKeyPair(new String(bytes.get(), StandardCharsets.ISO_8859_1)));
        } catch (Pem.InvalidPemException e) {
            // Not moved aside: without it the issuer would silently register a new ACME account.
            throw new CorruptStoreException("Damaged store file " + file + ": " + Messages.describe(e)
                    + ". Restore the account key from a backup, or delete the file to have a new key (and ACME account) "
                    + "created.", file.toString(), List.of(), e);
        }
    }

    KeyPair saveIfAbsent(AccountKeyRef ref, KeyPair candidate) throws StoreException {
        Optional<KeyPair> existing = load(ref);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] pem;
        try {
            pem = Pem.encodePrivateKey(candidate.getPrivate(), KeyEncoding.PKCS8).getBytes(StandardCharsets.US_ASCII);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot encode account key " + ref.id() + " as PEM: " + Messages.describe(e), false, e);
        }
        Path file = file(ref);
        Path directory = file.getParent();
        Path temp = directory.resolve(TEMP_PREFIX + random() + ".key");
        try {
            files.createDirectories(directory);
            removeStaleTemporaryFiles(directory);
            files.writeDurably(temp, pem, "rw-------");
            try {
                Files.createLink(file, temp); // fails if another process stored a key first
            } catch (FileAlreadyExistsException e) {
                return load(ref).orElseThrow(() -> new StoreException(
                        "Account key " + file + " vanished while being stored; try again", true, e));
            }
            files.forceDirectory(directory);
            return candidate;
        } catch (IOException | UnsupportedOperationException e) {
            throw new StoreException("Cannot store account key " + file + ": " + e, true, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Temporary files of a save that crashed; young ones may belong to a save in progress. */
    private static void removeStaleTemporaryFiles(Path directory) throws IOException {
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
        stale.forEach(DurableFiles::deleteQuietly);
    }
}
