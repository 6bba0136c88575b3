package dev.autocert4j.lock;

import dev.autocert4j.AutocertException;

/**
 * A lock was lost while work was done under it (for example a Lease that could not be renewed in
 * time and may now be held by another manager), so the work's result was not saved. Retryable:
 * the next attempt takes the lock again and re-reads the store.
 */
public final class LockLostException extends AutocertException {
    private static final long serialVersionUID = 1L;

    /** @param message which lock was lost and what was not saved */
    public LockLostException(String message) {
        super(message, true);
    }
}
