package dev.autocert4j.store;

import dev.autocert4j.AutocertException;

/**
 * A {@link CertificateStore} could not read or write. A store that finds damaged content says
 * which file or object it was in the message.
 */
public class StoreException extends AutocertException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the file or object
     * @param retryable whether a retry may help (I/O hiccup: yes; corrupt content: no)
     * @param cause the underlying failure, may be null
     */
    public StoreException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }
}
