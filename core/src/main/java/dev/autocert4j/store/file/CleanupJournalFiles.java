package dev.autocert4j.store.file;

import static dev.autocert4j.store.file.StoreProperties.required;

import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The cleanup journal as {@code <root>/cleanups/<sha-256>.properties}: one file per pending cleanup,
 * named by the SHA-256 of its content, written to a temporary file and renamed. Thread-safe.
 */
final class CleanupJournalFiles {
    static final String CLEANUPS_DIRECTORY = "cleanups";

    private final Path directory;
    private final DurableFiles files;

    CleanupJournalFiles(Path root, DurableFiles files) {
        this.directory = root.resolve(CLEANUPS_DIRECTORY);
        this.files = files;
    }

    void record(PendingCleanup cleanup) throws StoreException {
        Properties properties = new Properties();
        properties.setProperty("certificateId", cleanup.certificateId());
        properties.setProperty("solverId", cleanup.solverId());
        properties.setProperty("handle", cleanup.handle());
        try {
            files.writePropertiesAtomically(file(cleanup), properties);
        } catch (IOException e) {
            throw new StoreException("Cannot record a pending cleanup of " + cleanup.certificateId() + " in " + directory
                    + ": " + e, true, e);
        }
    }

    void remove(PendingCleanup cleanup) throws StoreException {
        Path file = file(cleanup);
        try {
            files.deleteDurably(file);
        } catch (IOException e) {
            throw new StoreException("Cannot remove the pending cleanup " + file + ": " + e, true, e);
        }
    }

    List<PendingCleanup> list() throws StoreException {
        List<PendingCleanup> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "[!.]*.properties")) {
            for (Path file : entries) {
                try {
                    Properties properties = StoreProperties.parse(Files.readAllBytes(file));
                    result.add(new PendingCleanup(required(properties, "certificateId"), required(properties, "solverId"),
                            required(properties, "handle")));
                } catch (NoSuchFileException e) {
                    // removed while we listed
                } catch (NoSuchFieldException e) {
                    throw new StoreException("Damaged store file " + file + ": lacks the property " + Messages.describe(e)
                            + ". Delete it (and remove the DNS record it names by hand, if any).", false, null);
                } catch (IllegalArgumentException e) {
                    throw new StoreException("Damaged store file " + file + ": " + Messages.describe(e), false, e);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StoreException("Cannot read the pending cleanups in " + directory + ": " + e, true, e);
        }
        return result;
    }

    private Path file(PendingCleanup cleanup) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(cleanup.certificateId(), cleanup.solverId(), cleanup.handle())) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return directory.resolve(HexFormat.of().formatHex(digest.digest()) + ".properties");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
