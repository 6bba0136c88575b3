package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the certificate manager's background renewal with the application context, before the web server
 * (an earlier phase), and closes it on shutdown. Thread-safe.
 */
final class CertificateManagerLifecycle implements SmartLifecycle {
    /** Before the web server's phases, so that renewal runs while it serves. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final CertificateManager manager;
    private volatile boolean running;

    CertificateManagerLifecycle(CertificateManager manager) {
        this.manager = requireNonNull(manager, "manager");
    }

    @Override
    public void start() {
        manager.start();
        running = true;
    }

    @Override
    public void stop() {
        manager.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
