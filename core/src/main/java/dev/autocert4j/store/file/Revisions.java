package dev.autocert4j.store.file;

import dev.autocert4j.AutocertException;
import dev.autocert4j.internal.file.FileMutex;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The layout of one certificate's directory: the three files, the {@code ..data} link to the
 * current {@code ..rev-*} directory, and the lock that serialises saves and quarantines.
 */
final class Revisions {
    static final String CERTIFICATE_FILE = "tls.crt";
    static final String KEY_FILE = "tls.key";
    static final String METADATA_FILE = "metadata.properties";
    static final String DATA_LINK = "..data";
    static final String REVISION_PREFIX = "..rev-";
    static final String SAVE_LOCK = "..lock";
    /** The files of one revision, in the order they are written and moved aside. */
    static final List<String> FILES = List.of(CERTIFICATE_FILE, KEY_FILE, METADATA_FILE);
    private static final Duration SAVE_LOCK_TIMEOUT = Duration.ofSeconds(30);

    private Revisions() {
    }

    /** @return the link's target, a revision directory name; null when there is no ..data link */
    static Path readDataLink(Path dataLink) throws StoreException, Damage {
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
    static Path currentTarget(Path dataLink) throws StoreException {
        try {
            return Files.readSymbolicLink(dataLink);
        } catch (NoSuchFileException | NotLinkException e) {
            return null;
        } catch (IOException e) {
            throw new StoreException("Cannot read " + dataLink + ": " + e, true, e);
        }
    }

    /**
     * Takes the save lock of a certificate directory, across threads and processes.
     *
     * @param description what the lock is taken for, for the timeout message
     * @param interrupted the message when interrupted while waiting
     */
    static LockProvider.Lock lock(Path directory, String description, String interrupted) throws StoreException {
        try {
            return FileMutex.acquire(directory.resolve(SAVE_LOCK), SAVE_LOCK_TIMEOUT, description);
        } catch (AutocertException e) {
            throw new StoreException(Messages.describe(e), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(interrupted, true, e);
        }
    }
}
