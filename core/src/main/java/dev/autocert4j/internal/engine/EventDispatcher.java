package dev.autocert4j.internal.engine;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateListener;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.store.StoredCertificate;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each event and hands it to every listener; a failing listener does not stop the others. Thread-safe. */
public final class EventDispatcher implements CertificateListener {
    /** The manager's category, so that the lifecycle log keeps the name users filter on. */
    private static final Logger LOG = LoggerFactory.getLogger(CertificateManager.class);

    private final Clock clock;
    private final List<CertificateListener> listeners;

    /**
     * @param clock stamps the events
     * @param first hears each event before the listeners (the manager's own bookkeeping)
     * @param listeners who receives them then, in this order
     */
    public EventDispatcher(Clock clock, CertificateListener first, List<CertificateListener> listeners) {
        this.clock = clock;
        this.listeners = Stream.concat(Stream.of(first), listeners.stream()).toList();
    }

    /**
     * @param certificate the certificate concerned
     * @param type what happened
     * @param message a detail for people
     * @return a builder stamped now, for further details
     */
    public CertificateEvent.Builder event(Certificate certificate, CertificateEvent.Type type, String message) {
        return CertificateEvent.builder(type, certificate.id(), message, clock.instant());
    }

    /** Emits an event without details. */
    void emit(Certificate certificate, CertificateEvent.Type type, String message) {
        onEvent(event(certificate, type, message).build());
    }

    /** Emits an event about one stored certificate: its serial, expiry and issuer. */
    void emit(Certificate certificate, CertificateEvent.Type type, String message, StoredCertificate about) {
        onEvent(event(certificate, type, message).certificate(about).build());
    }

    @Override
    public void onEvent(CertificateEvent event) {
        if (event.type() == CertificateEvent.Type.FAILED) {
            LOG.warn("{} {}: {}", event.certificateId(), event.type().reason(), event.message());
        } else {
            LOG.info("{} {}: {}", event.certificateId(), event.type().reason(), event.message());
        }
        for (CertificateListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed on {}", l, event.type(), e);
            }
        }
    }
}
