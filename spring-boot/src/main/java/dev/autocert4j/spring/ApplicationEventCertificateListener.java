package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateListener;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Republishes every {@link CertificateEvent} as a Spring application event, so that
 * {@code @EventListener void on(CertificateEvent event)} receives them. The starter's own certificate manager
 * has it; a {@link dev.autocert4j.CertificateManager} bean of your own should add this bean with
 * {@code .listener(...)} too, or the SSL bundle does not follow renewals. Thread-safe.
 */
public final class ApplicationEventCertificateListener implements CertificateListener {
    private final ApplicationEventPublisher publisher;

    /** @param publisher where the events go, normally the application context */
    public ApplicationEventCertificateListener(ApplicationEventPublisher publisher) {
        this.publisher = requireNonNull(publisher, "publisher");
    }

    @Override
    public void onEvent(CertificateEvent event) {
        publisher.publishEvent(event);
    }
}
