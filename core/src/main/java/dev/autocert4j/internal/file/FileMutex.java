package dev.autocert4j.internal.file;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.lock.LockProvider;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An exclusive lock on a file that excludes other processes (an OS file lock through
 * {@link FileChannel#tryLock()}) and other threads of this JVM (a semaphore per file, shared by
 * every user of the same path in this JVM, since the JVM's file locks are per process).
 *
 * <p>The lock file is created when missing and never deleted (deleting lock files lets two
 * holders lock two different files). The OS drops the lock when the process dies. Thread-safe.
 */
public final class FileMutex {
    private static final ConcurrentHashMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();
    private static final long FIRST_SLEEP_MILLIS = 5;
    private static final long MAX_SLEEP_MILLIS = 200;

    private FileMutex() {
    }

    /**
     * Blocks until both the in-JVM and the OS lock on {@code lockFile} are held.
     *
     * @param lockFile the lock file; its directory must exist
     * @param timeout how long to wait in all
     * @param description what the lock protects, for the timeout message
     * @return the held lock; closing it releases both and closes the file
     * @throws AutocertException (retryable) on timeout, or when the lock file cannot be opened
     * @throws InterruptedException when interrupted while waiting; nothing is then held
     */
    public static LockProvider.Lock acquire(Path lockFile, Duration timeout, String description)
            throws AutocertException, InterruptedException {
        requireNonNull(lockFile, "lockFile");
        requireNonNull(timeout, "timeout");
        requireNonNull(description, "description");
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        Path key = lockFile.toAbsolutePath().normalize();
        Semaphore inJvm = IN_JVM.computeIfAbsent(key, k -> new Semaphore(1));
        if (!inJvm.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw timeout(description, timeout, "held by another thread of this JVM");
        }
        boolean acquired = false;
        FileChannel channel = null;
        try {
            try {
                channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new AutocertException("Cannot open lock file " + key + " for " + description + ": " + e, true, e);
            }
            long sleep = FIRST_SLEEP_MILLIS;
            while (true) {
                FileLock fileLock;
                try {
                    fileLock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    // Locked through a channel this JVM opened outside this class; treat as busy.
                    fileLock = null;
                } catch (IOException e) {
                    throw new AutocertException("Cannot lock file " + key + " for " + description + ": " + e, true, e);
                }
                if (fileLock != null) {
                    acquired = true;
                    return release(channel, inJvm);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw timeout(description, timeout, "held by another process (lock file " + key + ")");
                }
                Thread.sleep(Math.min(sleep, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                sleep = Math.min(sleep * 2, MAX_SLEEP_MILLIS);
            }
        } finally {
            if (!acquired) {
                closeQuietly(channel);
                inJvm.release();
            }
        }
    }

    private static LockProvider.Lock release(FileChannel channel, Semaphore inJvm) {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                try {
                    closeQuietly(channel); // closing the channel releases its file lock
                } finally {
                    inJvm.release();
                }
            }
        };
    }

    private static AutocertException timeout(String description, Duration timeout, String why) {
        return new AutocertException("Timed out after " + timeout + " waiting for lock " + description + " (" + why
                + "); another manager is working on it, try again later", true);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the OS lock goes with the descriptor
            }
        }
    }
}
