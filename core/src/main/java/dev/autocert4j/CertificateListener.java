package dev.autocert4j;

/**
 * Receives {@link CertificateEvent}s. Called on the thread doing the work, so implementations
 * SHOULD return quickly; an exception thrown here is logged and otherwise ignored.
 *
 * <p>One method for every kind of event, so that a lambda is a listener. New {@linkplain
 * CertificateEvent.Type types} and new event fields may come in later versions: implementations
 * SHOULD ignore types they do not handle (a {@code switch} with a {@code default} branch) rather
 * than fail on them.
 */
@FunctionalInterface
public interface CertificateListener {
    /**
     * @param event what happened
     */
    void onEvent(CertificateEvent event);
}
