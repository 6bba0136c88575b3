package dev.autocert4j;

/**
 * Receives {@link CertificateEvent}s. Called on the thread doing the work, so implementations
 * SHOULD return quickly; an exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface CertificateListener {
    /**
     * @param event what happened
     */
    void onEvent(CertificateEvent event);
}
