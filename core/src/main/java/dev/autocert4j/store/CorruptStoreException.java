package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import java.util.List;

/**
 * A {@link CertificateStore} found damaged content: a truncated or garbled certificate chain or
 * key, a key that does not belong to the certificate, unreadable metadata. The message names the
 * damaged file or object and says what happens next; it never contains key material.
 *
 * <p>A store that can set damaged content aside (renamed, never deleted, so it can be inspected)
 * does so before throwing; {@link #movedAside()} then lists where it went, the exception is
 * {@linkplain #isRetryable() retryable}, and the next load finds no certificate, so the
 * {@link CertificateManager} issues a new one. When nothing could be moved the exception is not
 * retryable: someone has to look at the store first.
 */
public class CorruptStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String damaged;
    private final List<String> movedAside;

    /**
     * @param message what is damaged, naming the file or object, and what happens next
     * @param damaged the damaged file or object (a path, or a Secret's namespace/name and key)
     * @param movedAside where the damaged content was moved to; empty when it is still in place
     * @param cause the underlying failure, may be null
     */
    public CorruptStoreException(String message, String damaged, List<String> movedAside, Throwable cause) {
        super(message, !movedAside.isEmpty(), cause);
        this.damaged = requireNonNull(damaged, "damaged");
        this.movedAside = List.copyOf(movedAside);
    }

    /** @return the damaged file or object, as named in the message */
    public String damaged() {
        return damaged;
    }

    /**
     * @return where the damaged content (and what belongs with it) was moved to, for inspection;
     *     empty when it was left in place
     */
    public List<String> movedAside() {
        return movedAside;
    }
}
