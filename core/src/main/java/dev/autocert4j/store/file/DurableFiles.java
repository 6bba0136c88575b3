package dev.autocert4j.store.file;

import dev.autocert4j.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's file primitives: owner-only directories, files forced to disk, directories forced
 * after a rename, atomic replacement through a temporary file. POSIX modes are applied where the
 * file system has them. Thread-safe.
 */
final class DurableFiles {
    /** Prefix of temporary files; a crash can leave them behind, so the store removes stale ones. */
    static final String TEMP_PREFIX = "..tmp-";

    // Logged under the store's name, as before the split, so users' logging configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(FileCertificateStore.class);

    private final boolean posix;

    DurableFiles(boolean posix) {
        this.posix = posix;
    }

    void createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (posix) {
            Files.createDirectories(directory, ownerOnlyDirectory());
        } else {
            Files.createDirectories(directory);
        }
    }

    void createDirectory(Path directory) throws IOException {
        if (posix) {
            Files.createDirectory(directory, ownerOnlyDirectory());
        } else {
            Files.createDirectory(directory);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnlyDirectory() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }

    /** Makes renames and new entries in {@code directory} durable. */
    void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (posix) {
                throw e;
            }
            // Windows cannot open a directory as a file; its renames are durable on their own.
        }
    }

    /** Creates {@code file} (which must not exist) with {@code mode}, writes it and forces it to disk. */
    void writeDurably(Path file, byte[] content, String mode) throws IOException {
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

    /**
     * Writes properties to a temporary file in the target's directory (owner-only, forced to disk)
     * and renames it over the target, so a reader sees the old or the new content, never a part.
     */
    void writePropertiesAtomically(Path file, Properties properties) throws IOException {
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

    /**
     * @param file the file to read
     * @param what what the file holds, for the message ({@code "account key"})
     * @return its content, or empty when there is no such file
     * @throws StoreException (retryable) when it is there but cannot be read
     */
    static Optional<byte[]> readIfPresent(Path file, String what) throws StoreException {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("Cannot read " + what + " " + file + ": " + e, true, e);
        }
    }

    /** Deletes {@code file} if it is there, and makes the removal durable. */
    void deleteDurably(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            forceDirectory(file.getParent());
        }
    }

    /** Deletes a file, or a directory with its content; failures are only logged (debug). */
    static void deleteQuietly(Path path) {
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

    /** @return a random hex string that makes temporary and revision names unique */
    static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
