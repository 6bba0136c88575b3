package dev.autocert4j.store.file;

import static dev.autocert4j.store.file.Revisions.DATA_LINK;
import static dev.autocert4j.store.file.Revisions.FILES;

import dev.autocert4j.Certificate;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.StoreException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Moves damaged entries aside to {@code <file>.damaged-<UTC yyyyMMdd'T'HHmmss'Z'>} beside them,
 * kept for inspection and never deleted, so that the next load finds nothing and the certificate
 * is issued again. Thread-safe.
 */
final class DamageQuarantine {
    static final String DAMAGED_INFIX = ".damaged-";
    private static final DateTimeFormatter DAMAGED_STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final DurableFiles files;
    private final Supplier<Instant> now;

    /** @param now stamps the names of what is moved aside */
    DamageQuarantine(DurableFiles files, Supplier<Instant> now) {
        this.files = files;
        this.now = now;
    }

    /**
     * Moves a damaged set aside under the save lock, unless a save replaced it meanwhile.
     *
     * @param seen the revision ..data pointed at when the damage was found; null when ..data itself is damaged
     * @return the new names of what was moved; null when the damaged set is no longer current
     */
    List<Path> moveAside(Certificate certificate, Path directory, Path seen) throws IOException, StoreException {
        LockProvider.Lock lock = Revisions.lock(directory, "moving aside the damaged files of certificate " + certificate.id(),
                "interrupted while waiting for the save lock");
        try {
            return moveAsideLocked(directory, seen);
        } finally {
            lock.close();
        }
    }

    /** {@link #moveAside} for a caller that holds the save lock already. */
    List<Path> moveAsideLocked(Path directory, Path seen) throws IOException, StoreException {
        Path dataLink = directory.resolve(DATA_LINK);
        String stamp = stamp();
        if (seen == null) {
            if (!Files.exists(dataLink, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            try {
                Revisions.readDataLink(dataLink);
                return null; // a save repaired it meanwhile
            } catch (Damage stillDamaged) {
                List<Path> moved = List.of(moveAsideOne(dataLink, directory, DATA_LINK, stamp));
                files.forceDirectory(directory);
                return moved;
            }
        }
        if (!seen.equals(Revisions.currentTarget(dataLink))) {
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
        files.forceDirectory(directory);
        DurableFiles.deleteQuietly(revision);
        return moved;
    }

    /**
     * Moves one damaged file aside in its own directory.
     *
     * @return its new name
     * @throws java.nio.file.NoSuchFileException when it is gone (another process moved it first)
     */
    Path moveAside(Path file) throws IOException {
        return moveAsideOne(file, file.getParent(), file.getFileName().toString(), stamp());
    }

    private String stamp() {
        return DAMAGED_STAMP.format(now.get());
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
}
