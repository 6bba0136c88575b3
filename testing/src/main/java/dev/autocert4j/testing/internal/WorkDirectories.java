package dev.autocert4j.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The temporary directories that test servers keep their configuration and logs in. */
public final class WorkDirectories {

    private static final Logger LOG = LoggerFactory.getLogger(WorkDirectories.class);

    private WorkDirectories() {
    }

    /**
     * @param prefix the directory name's prefix, e.g. {@code autocert4j-pebble-}
     * @param owner what the directory is for, in the error message, e.g. {@code Pebble}
     * @return a new empty directory under the system's temporary directory
     * @throws UncheckedIOException if it cannot be created
     */
    public static Path create(String prefix, String owner) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory for " + owner, e);
        }
    }

    /**
     * Deletes {@code file} if it exists.
     *
     * @param file a file
     * @throws UncheckedIOException if it exists and cannot be deleted
     */
    public static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes {@code directory} and everything in it; failures are logged, not thrown, because
     * this runs while servers shut down.
     *
     * @param directory a directory, which need not exist
     */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("Cannot delete {}: {}", directory, e.toString());
        }
    }
}
