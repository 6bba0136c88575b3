package dev.autocert4j.lock;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.internal.file.FileMutex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Locks shared by every process that uses the same directory: one lock file per lock name,
 * locked with an operating-system file lock, so that managers in several processes (or several
 * containers sharing a volume) order each certificate once. Inside one JVM, managers also
 * exclude each other, whichever {@code FileLockProvider} instance they use.
 *
 * <p>A lock dies with its process, so a crashed holder never blocks the others. Lock files stay
 * in the directory (a few bytes each); they are never deleted while in use. Network file systems
 * may not honour file locks; use them only where they do. Thread-safe.
 */
public final class FileLockProvider implements LockProvider {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int MAX_READABLE_PART = 100;

    private final Path directory;

    private FileLockProvider(Path directory) {
        this.directory = directory;
    }

    /**
     * @param directory where the lock files live; created (mode 0700 where POSIX permissions
     *     exist) when the first lock is taken
     * @return a provider for that directory
     */
    public static FileLockProvider of(Path directory) {
        return new FileLockProvider(requireNonNull(directory, "directory").toAbsolutePath().normalize());
    }

    /** @return the directory holding the lock files */
    public Path directory() {
        return directory;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Polls the file lock with a short, growing sleep (5 ms up to 200 ms) until it is free or
     * the timeout has passed.
     */
    @Override
    public Lock acquire(String name, Duration timeout) throws AutocertException, InterruptedException {
        requireNonNull(name, "name");
        requireNonNull(timeout, "timeout");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("lock name must not be empty");
        }
        try {
            createDirectory();
        } catch (IOException e) {
            throw new AutocertException("Cannot create lock directory " + directory + ": " + e, true, e);
        }
        return FileMutex.acquire(lockFile(name), timeout, name);
    }

    /**
     * @param name a lock name
     * @return the lock file of that name: the name with characters other than letters, digits,
     *     {@code .}, {@code _} and {@code -} replaced by {@code _}, plus a short hash of the exact
     *     name so that names differing only in replaced characters stay apart
     */
    Path lockFile(String name) {
        String readable = UNSAFE.matcher(name).replaceAll("_");
        if (readable.length() > MAX_READABLE_PART) {
            readable = readable.substring(0, MAX_READABLE_PART);
        }
        return directory.resolve(readable + "-" + shortHash(name) + ".lock");
    }

    private void createDirectory() throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }

    private static String shortHash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "FileLockProvider[" + directory + "]";
    }
}
